import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** What a kubeconfig is derived from: only values that stay the same from run to run. */
export interface KubeconfigInput {
  readonly clusterName: string;
  /** The API server URL, `https://...eks.amazonaws.com`. */
  readonly endpoint: string;
  /** The cluster CA certificate, base64 PEM, as EKS returns it. */
  readonly certificateAuthorityData: string;
  readonly region: string;
  /** Run `aws eks get-token` with this profile (AWS_PROFILE); empty or absent for the default chain. */
  readonly profile?: string;
  /** Have `aws eks get-token` assume this role (`--role-arn`); empty or absent for none. */
  readonly roleArn?: string;
}

/**
 * A kubeconfig (JSON, which is YAML) authenticating with `aws eks get-token` through the
 * client.authentication.k8s.io/v1beta1 exec plugin, laid out as `aws eks update-kubeconfig`
 * writes it: the profile as AWS_PROFILE in the environment, the role as `--role-arn`.
 *
 * Pure and deterministic: no token, timestamp or random value, so the Kubernetes provider built
 * from it sees identical inputs on every run and is never replaced by accident (replacing it
 * would replace everything deployed through it).
 */
export function buildKubeconfig(input: KubeconfigInput): string {
  const name = input.clusterName;
  const args = ["eks", "get-token", "--cluster-name", name, "--region", input.region];
  if (input.roleArn) args.push("--role-arn", input.roleArn);
  args.push("--output", "json");
  const exec = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args,
    ...(input.profile ? { env: [{ name: "AWS_PROFILE", value: input.profile }] } : {}),
    interactiveMode: "Never",
  };
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name,
          cluster: {
            server: input.endpoint,
            "certificate-authority-data": input.certificateAuthorityData,
          },
        },
      ],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      preferences: {},
      users: [
        {
          name,
          user: { exec },
        },
      ],
    },
    null,
    2,
  );
}

/** The command that writes this cluster into `~/.kube/config`, with the same profile and role. */
export function updateKubeconfigCommand(
  input: Omit<KubeconfigInput, "endpoint" | "certificateAuthorityData">,
): string {
  const parts = [
    "aws eks update-kubeconfig",
    `--name ${input.clusterName}`,
    `--region ${input.region}`,
  ];
  if (input.profile) parts.push(`--profile ${input.profile}`);
  if (input.roleArn) parts.push(`--role-arn ${input.roleArn}`);
  return parts.join(" ");
}

/**
 * The kubeconfig output (secret) and the Kubernetes provider built from it. `dependsOn` holds
 * the access policy associations: nothing may be deployed into the cluster before the deploying
 * identity is allowed in. `clusterIdentifier` (the cluster ARN) makes a kubeconfig change, such
 * as a new profile, an update of the provider rather than a replacement.
 */
export function createKubernetesAccess(
  name: string,
  spec: {
    readonly cluster: {
      readonly arn: pulumi.Output<string>;
      readonly endpoint: pulumi.Output<string>;
      readonly caData: pulumi.Output<string>;
    };
    readonly input: Omit<KubeconfigInput, "endpoint" | "certificateAuthorityData">;
    readonly dependsOn: readonly pulumi.Resource[];
  },
  parent: pulumi.Resource,
): { kubeconfig: pulumi.Output<string>; provider: k8s.Provider } {
  const kubeconfig = pulumi.secret(
    pulumi
      .all([spec.cluster.endpoint, spec.cluster.caData])
      .apply(([endpoint, certificateAuthorityData]) =>
        buildKubeconfig({ ...spec.input, endpoint, certificateAuthorityData }),
      ),
  );
  const provider = new k8s.Provider(
    `${name}-k8s`,
    {
      kubeconfig,
      clusterIdentifier: spec.cluster.arn,
      enableServerSideApply: true,
    },
    { parent, dependsOn: [...spec.dependsOn] },
  );
  return { kubeconfig, provider };
}
