import { clusterStub } from "./cluster-stub";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as fs from "fs";
import * as path from "path";
import type {
  LoadBalancerController,
  Observability,
  ObservabilityArgs,
} from "../../components/platform";
import { kubePrometheusStackValues } from "../../lib/chart-values";
import { CHARTS } from "../../lib/charts";
import { RecordedResource, findResource, ofType, useMocks, valueOf } from "../harness";

// Recorded inputs are untyped JSON; the tests read them by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const POLICIES = path.join(__dirname, "../../components/platform/policies");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(POLICIES, file), "utf8"));

let resources: RecordedResource[];
let done: () => Promise<void>;
let controller: LoadBalancerController;
let observability: Observability;
let nodeGroupUrn: string;
let passwordIsSecret: boolean;

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const pulumi = await import("@pulumi/pulumi");
  const { LoadBalancerController, Observability } = await import("../../components/platform");

  const { provider, nodeGroup } = await clusterStub();
  controller = new LoadBalancerController("lbc", {
    clusterName: "platform-test",
    vpcId: "vpc-0abc",
    region: "us-east-1",
    provider,
    namePrefix: "platform-test",
    requires: [nodeGroup],
    tags: { "pulumi:stack": "test" },
  });
  observability = new Observability("obs", {
    clusterName: "platform-test",
    region: "us-east-1",
    provider,
    namePrefix: "platform-test",
    persistence: true,
    storageClassName: "gp3",
    containerLogRetentionDays: 30,
    protection: { protect: true },
    requires: [nodeGroup],
    tags: { "pulumi:stack": "test" },
  });
  await Promise.all([
    valueOf(controller.roleArn),
    valueOf(observability.logGroupName),
    valueOf(observability.grafanaAdminPassword),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  nodeGroupUrn = await valueOf(nodeGroup.urn);
  passwordIsSecret = await pulumi.isSecret(observability.grafanaAdminPassword);
});
afterAll(() => done());

const release = (name: string) => findResource(resources, "kubernetes:helm.sh/v3:Release", name);
// A value holding a secret is recorded inside Pulumi's secret envelope.
const isSecretEnvelope = (v: unknown) =>
  (v as Record<string, unknown> | undefined)?.[specialSigKey] === specialSecretSig;
const values = (name: string) => {
  const v = release(name).inputs.values as Json;
  return isSecretEnvelope(v) ? v.value : v;
};
const association = (namespace: string) =>
  ofType(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find(
    (a) => a.inputs.namespace === namespace,
  );

describe("chart pins", () => {
  it.each(Object.entries(CHARTS))(
    "%s: an exact version from an https or OCI registry",
    (_, pin) => {
      expect(pin.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(pin.repo).toMatch(/^(https|oci):\/\//);
      expect(pin.source).not.toBe("");
    },
  );

  it("keeps the controller's IAM policy at the version the chart installs", () => {
    expect(readJson("aws-load-balancer-controller.meta.json").controllerVersion).toBe(
      CHARTS.awsLoadBalancerController.appVersion,
    );
  });
});

describe("LoadBalancerController", () => {
  it("installs the pinned chart from eks-charts as a Helm release in kube-system", () => {
    expect(release("lbc").inputs).toMatchObject({
      name: "aws-load-balancer-controller",
      chart: "aws-load-balancer-controller",
      version: CHARTS.awsLoadBalancerController.version,
      repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
      namespace: "kube-system",
    });
  });

  it("tells the controller its cluster, region and VPC, with two replicas", () => {
    expect(values("lbc")).toMatchObject({
      clusterName: "platform-test",
      region: "us-east-1",
      vpcId: "vpc-0abc",
      replicaCount: 2,
      serviceAccount: { create: true, name: "aws-load-balancer-controller" },
      defaultTags: { "pulumi:stack": "test" },
    });
  });

  it("grants the upstream IAM policy, kept as a data file", () => {
    const policy = ofType(resources, "aws:iam/policy:Policy").find((p) => p.name.endsWith("-lbc"));
    const document = JSON.parse(policy?.inputs.policy as string);
    expect(document).toEqual(readJson("aws-load-balancer-controller.json"));
    const actions = (document.Statement as { Action: string[] }[]).flatMap((s) => s.Action);
    // The two the controller cannot work without since v2.9/v2.10.
    expect(actions).toEqual(
      expect.arrayContaining([
        "elasticloadbalancing:DescribeListenerAttributes",
        "ec2:GetSecurityGroupsForVpc",
      ]),
    );
  });

  it("gets its credentials through Pod Identity for kube-system/aws-load-balancer-controller", () => {
    expect(association("kube-system")?.inputs).toMatchObject({
      clusterName: "platform-test",
      serviceAccount: "aws-load-balancer-controller",
    });
    const role = findResource(resources, "aws:iam/role:Role", "platform-test-lbc");
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
    expect(
      ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) =>
        a.name.startsWith("lbc-aws"),
      ),
    ).toHaveLength(1);
  });

  it("installs after the association and the node groups, and is removed before them", () => {
    const deps = release("lbc").options.dependencies;
    expect(deps).toContain(association("kube-system")?.urn);
    expect(deps).toContain(nodeGroupUrn);
  });

  it("claims only Services that ask for its NLB class: its Service webhook stays off", () => {
    // With the webhook on, the controller would take over every LoadBalancer Service, and
    // their creation would fail whenever the controller is down.
    expect(values("lbc").enableServiceMutatorWebhook).toBe(false);
  });

  it("rejects a replica count outside 1 to 5", async () => {
    const { validateLoadBalancerControllerArgs } = await import("../../components/platform");
    expect(
      validateLoadBalancerControllerArgs({
        clusterName: "c",
        vpcId: "v",
        region: "r",
        provider: {} as never,
        namePrefix: "p",
        replicas: 0,
      }),
    ).toEqual(["replicas must be a whole number from 1 to 5; got 0"]);
  });
});

describe("Observability: metrics", () => {
  const kps = "obs-kube-prometheus-stack";

  it("installs the pinned kube-prometheus-stack in the monitoring namespace", () => {
    expect(release(kps).inputs).toMatchObject({
      chart: "kube-prometheus-stack",
      version: CHARTS.kubePrometheusStack.version,
      repositoryOpts: { repo: CHARTS.kubePrometheusStack.repo },
      namespace: "monitoring",
    });
    const ns = findResource(resources, "kubernetes:core/v1:Namespace", "obs-monitoring");
    expect((ns.inputs.metadata as { name: string }).name).toBe("monitoring");
  });

  it("generates the Grafana admin password at deploy time and passes it in as a secret", async () => {
    const password = findResource(
      resources,
      "random:index/randomPassword:RandomPassword",
      "obs-grafana-admin",
    );
    expect(password.inputs).toMatchObject({ length: 32 });
    expect(values(kps).grafana.adminPassword).toBe(
      await valueOf(observability.grafanaAdminPassword),
    );
    expect(passwordIsSecret).toBe(true);
    // The engine then stores the release's values encrypted in the state.
    expect(isSecretEnvelope(release(kps).inputs.values)).toBe(true);
    expect(isSecretEnvelope(release("lbc").inputs.values)).toBe(false);
  });

  it("keeps Prometheus, Alertmanager and Grafana data on the gp3 class when persistence is on", () => {
    const v = values(kps);
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName).toBe(
      "gp3",
    );
    expect(v.alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName).toBe(
      "gp3",
    );
    expect(v.grafana.persistence).toMatchObject({ enabled: true, storageClassName: "gp3" });
  });

  it("deletes Prometheus' and Alertmanager's volume claims with the release, not after it", () => {
    const v = values(kps);
    for (const spec of [v.prometheus.prometheusSpec, v.alertmanager.alertmanagerSpec]) {
      expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({
        whenDeleted: "Delete",
        whenScaled: "Retain",
      });
    }
  });

  it("keeps every pod of the monitoring namespace within PSS restricted: no root chown, no test hook", () => {
    const v = values(kps);
    expect(v.grafana.initChownData).toEqual({ enabled: false });
    expect(v.grafana.testFramework).toEqual({ enabled: false });
    expect(v["prometheus-node-exporter"]).toEqual({ namespaceOverride: "host-agents" });
  });

  it("keeps no volumes when persistence is off", () => {
    const v = kubePrometheusStackValues({ grafanaAdminPassword: "x", nodeExporterNamespace: "h" });
    expect(v.grafana.persistence).toEqual({ enabled: false });
    expect(v.prometheus.prometheusSpec).not.toHaveProperty("storageSpec");
    expect(v.alertmanager.alertmanagerSpec).toEqual({});
  });

  it("scrapes ServiceMonitors from every namespace, not only the chart's own", () => {
    expect(values(kps).prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues).toBe(
      false,
    );
  });

  it("exposes the release so ServiceMonitors can wait for their CRD", async () => {
    expect(await valueOf(observability.release.urn)).toBe(release(kps).urn);
  });
});

describe("Observability: container logs", () => {
  const logGroup = () =>
    findResource(resources, "aws:cloudwatch/logGroup:LogGroup", "obs-containers");

  it("creates the log group with the configured retention, protected as stateful", () => {
    expect(logGroup().inputs).toMatchObject({
      name: "/aws/eks/platform-test/containers",
      retentionInDays: 30,
    });
    expect(logGroup().options.protect).toBe(true);
  });

  it("ships container logs with the pinned aws-for-fluent-bit chart to that group only", () => {
    expect(release("obs-aws-for-fluent-bit").inputs).toMatchObject({
      chart: "aws-for-fluent-bit",
      version: CHARTS.awsForFluentBit.version,
      namespace: "host-agents",
    });
    expect(values("obs-aws-for-fluent-bit").cloudWatchLogs).toEqual({
      enabled: true,
      region: "us-east-1",
      logGroupName: "/aws/eks/platform-test/containers",
      autoCreateGroup: false,
    });
  });

  it("lets Fluent Bit write to that log group and nothing else, through Pod Identity", () => {
    expect(association("host-agents")?.inputs.serviceAccount).toBe("aws-for-fluent-bit");
    const inline = findResource(
      resources,
      "aws:iam/rolePolicy:RolePolicy",
      "obs-fluent-bit-inline",
    );
    const statement = JSON.parse(inline.inputs.policy as string).Statement;
    const groupName = logGroup().inputs.name as string;
    expect(statement).toHaveLength(1);
    expect(statement[0].Action).toEqual([
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]);
    for (const resource of statement[0].Resource as string[]) expect(resource).toContain(groupName);
    expect(release("obs-aws-for-fluent-bit").options.dependencies).toContain(
      association("host-agents")?.urn,
    );
  });

  it("runs the host agents alone in a privileged namespace, and the rest under restricted", () => {
    const enforced = (ns: string) =>
      (findResource(resources, "kubernetes:core/v1:Namespace", ns).inputs.metadata as Json).labels[
        "pod-security.kubernetes.io/enforce"
      ];
    expect(enforced("obs-host-agents")).toBe("privileged");
    expect(enforced("obs-monitoring")).toBe("restricted");
  });
});

describe("Pod Identity roles", () => {
  // The association hands pods the role as soon as it exists; a pod admitted before the role's
  // policies are attached starts with credentials that are refused, and may crash-loop.
  it.each([
    [
      "the controller's",
      "kube-system",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "lbc-aws-0",
    ],
    ["Fluent Bit's", "host-agents", "aws:iam/rolePolicy:RolePolicy", "obs-fluent-bit-inline"],
  ])("associate %s role only once its policy is attached", (_, namespace, type, grant) => {
    expect(association(namespace)?.options.dependencies).toContain(
      findResource(resources, type, grant).urn,
    );
  });
});

describe("validateObservabilityArgs", () => {
  it("requires a CloudWatch retention period and a storage class for persistence", async () => {
    const { validateObservabilityArgs } = await import("../../components/platform");
    const args: ObservabilityArgs = {
      clusterName: "c",
      region: "r",
      provider: {} as never,
      namePrefix: "p",
      persistence: true,
      containerLogRetentionDays: 31,
      protection: { protect: false },
    };
    expect(validateObservabilityArgs(args)).toEqual([
      expect.stringMatching(
        /^containerLogRetentionDays must be one of the CloudWatch Logs retention periods \(1, 3, 5, .*\); got 31$/,
      ),
      "storageClassName is required when persistence is true (the gp3 class of the cluster)",
    ]);
  });
});
