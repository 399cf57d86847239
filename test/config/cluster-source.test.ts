import { formatProblem, isConfigError } from "../../config/errors";
import { parseConfig } from "../../config/load";
import { readStackConfig } from "../../tools/runner";

// clusterSource: kubeconfig deploys the services alone into an existing cluster. What needs AWS
// is refused with a config error naming the key, before any resource is registered.

/** Parses Pulumi.local.yaml (or another stack file) with overrides, as the engine would. */
function parse(overrides: Record<string, unknown> = {}, stack = "local") {
  const { project, config } = readStackConfig(stack, overrides);
  return parseConfig(config, { project, stack });
}

/** The lines a config is refused with; fails when it is accepted. */
function refusal(overrides: Record<string, unknown>, stack = "local"): string[] {
  try {
    parse(overrides, stack);
  } catch (error) {
    if (isConfigError(error)) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(overrides)}`);
}

const LOCAL_SERVICES = { web: {}, api: {} };

describe("clusterSource: kubeconfig", () => {
  it("loads Pulumi.local.yaml with no AWS region, ignoring the AWS layers' rules", () => {
    const config = parse();
    expect(config.clusterSource).toBe("kubeconfig");
    expect(config.region).toBe("");
    // endpointPublicAccess defaults to true with no CIDR: an error on EKS, nothing here.
    expect(config.endpointPublicAccess).toBe(true);
    expect(config.publicAccessCidrs).toEqual([]);
  });

  it.each([
    [
      "AWS permissions (a Pod Identity role)",
      { services: { web: {}, api: { awsPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } } },
      'platform:services.api.awsPolicyArns: must be empty when clusterSource is kubeconfig: AWS permissions come from an EKS Pod Identity role; got ["arn:aws:iam::aws:policy/ReadOnlyAccess"]',
    ],
    [
      "secrets from Secrets Manager",
      { services: { web: {}, api: { secrets: { API_TOKEN: { generated: "token" } } } } },
      'platform:services.api.secrets: must be empty when clusterSource is kubeconfig: secrets come from AWS Secrets Manager through the CSI driver and a Pod Identity role on EKS; got ["API_TOKEN"]',
    ],
    [
      "a load balancer",
      { services: { web: { expose: "internet" }, api: {} } },
      'platform:services.web.expose: must be none when clusterSource is kubeconfig: a load balancer needs the AWS Load Balancer Controller on EKS (reach it with kubectl port-forward); got "internet"',
    ],
    [
      "observability (CloudWatch Logs)",
      { observability: true },
      "platform:observability: must be false when clusterSource is kubeconfig: Fluent Bit ships logs to CloudWatch Logs through an EKS Pod Identity role; got true",
    ],
    [
      "building the app image (ECR)",
      { appImage: "", services: LOCAL_SERVICES },
      'platform:appImage: must be set when clusterSource is kubeconfig unless every service sets its own image: building app/ pushes to ECR (services without one: web, api); got ""',
    ],
    [
      "a relative kubeconfig path",
      { kubeconfigPath: "kube/config" },
      `platform:kubeconfigPath: must be empty or a kubeconfig file's absolute path (or ~/...); got "kube/config"`,
    ],
    [
      "a production stack",
      { production: true },
      'platform:clusterSource: must be eks in a production stack: a cluster from a kubeconfig is for development; got "kubeconfig"',
    ],
  ])("refuses %s", (_, overrides, line) => {
    expect(refusal(overrides)).toContain(line);
  });

  it("reports every refused feature at once", () => {
    const lines = refusal({
      observability: true,
      services: {
        web: { expose: "internal", awsPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
      },
    });
    expect(lines.map((l) => l.split(":").slice(0, 2).join(":"))).toEqual([
      "platform:observability",
      "platform:services.web.awsPolicyArns",
      "platform:services.web.expose",
    ]);
  });

  it("accepts services with their own images and no appImage", () => {
    const image = `localhost:5001/web@sha256:${"a".repeat(64)}`;
    expect(parse({ appImage: "", services: { web: { image } } }).services.web?.image).toBe(image);
  });
});

describe("clusterSource: eks (the default)", () => {
  it("is what dev and prod use", () => {
    expect(parse({}, "dev").clusterSource).toBe("eks");
    expect(parse({}, "prod").clusterSource).toBe("eks");
  });

  it("still requires an AWS region", () => {
    expect(refusal({ "aws:region": undefined }, "dev")).toContain(
      "aws:region: is required: set it with `pulumi config set aws:region us-east-1`",
    );
  });

  it("refuses the kubeconfig keys: the stack deploys into its own cluster", () => {
    expect(refusal({ kubeconfigContext: "kind-kind" }, "dev")).toContain(
      'platform:kubeconfigContext: must be empty when clusterSource is eks: the stack deploys into its own EKS cluster; got "kind-kind"',
    );
  });
});
