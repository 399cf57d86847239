import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { shown } from "../lib/args";
import { Peer, callEnvironment, callsPolicySpec } from "../lib/service-calls";
import {
  ENV_NAME,
  SECRET_ARN,
  SECRET_FILE,
  SECRET_JSON_KEY,
  SecretMount,
  providerObjects,
  secretEnvironment,
  secretsAccessPolicy,
  syncedSecretObjects,
} from "../lib/service-secrets";

/** What a Service needs to know about its calls and secrets; part of `ServiceArgs`. */
export interface ServiceLinkArgs {
  /** The services this one calls (`settings.calls`), with their ports. @default [] */
  readonly callees?: readonly Peer[];
  /** The services that call this one: the only in-cluster sources its port admits. @default [] */
  readonly callers?: readonly string[];
  /** `settings.secrets` with every ARN resolved (generated secrets are the stack's). @default [] */
  readonly secrets?: readonly SecretMount[];
  /** The AWS region of the secrets; required with secrets. @default - none */
  readonly region?: string;
  /** What delivers secrets (the SecretsDelivery releases): pods and mounts go first on destroy. @default [] */
  readonly secretsDependsOn?: pulumi.Resource[];
}

/** Every problem with a service's {@link ServiceLinkArgs}, one sentence each. */
export function serviceLinkArgProblems(name: string, args: ServiceLinkArgs): string[] {
  const problems: string[] = [];
  if ((args.secrets ?? []).length > 0 && !args.region) {
    problems.push(`region must be set when the service has secrets; got ${shown(args.region)}`);
  }
  for (const m of args.secrets ?? []) {
    if (!ENV_NAME.test(m.target) && !SECRET_FILE.test(m.target)) {
      problems.push(
        `secrets target must be an environment variable name or /secrets/<file>; got ${shown(m.target)}`,
      );
    }
    if (typeof m.arn === "string" && !SECRET_ARN.test(m.arn)) {
      problems.push(`secrets arn must be a secret's full ARN; got ${shown(m.arn)}`);
    }
    if (m.key !== undefined && !SECRET_JSON_KEY.test(m.key)) {
      problems.push(`secrets key must be a key of a JSON secret; got ${shown(m.key)}`);
    }
  }
  const peers = [...(args.callers ?? []), ...(args.callees ?? []).map((c) => c.name)];
  if (peers.includes(name)) {
    problems.push(`callers and callees must not name the service itself; got ${shown(name)}`);
  }
  return problems;
}

/** The NetworkPolicy of a service's declared calls (lib/service-calls.ts), if it has any. */
export function callsNetworkPolicy(
  name: string,
  args: ServiceLinkArgs & {
    readonly port: number;
    readonly metadata: k8s.types.input.meta.v1.ObjectMeta;
  },
  opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.NetworkPolicy | undefined {
  const spec = callsPolicySpec({
    name,
    port: args.port,
    callers: args.callers ?? [],
    callees: args.callees ?? [],
  });
  return spec
    ? new k8s.networking.v1.NetworkPolicy(`${name}-calls`, { metadata: args.metadata, spec }, opts)
    : undefined;
}

/** The SecretProviderClass of a service: its name in the service's namespace. */
export const SECRET_PROVIDER_CLASS = "secrets";

/**
 * The SecretProviderClass telling the driver and ASCP what a service's pods mount (ARNs and
 * file names only), as the ASCP documentation gives it ("SecretProviderClass YAML structure"):
 * `region` saves ASCP a lookup per mount, `usePodIdentity` makes it fetch as the pod's own
 * role, `secretObjects` lists what the driver syncs into the Secret environment variables read.
 * The CRD comes from the driver release, so it depends on `dependsOn` (that release).
 */
export function secretProviderClass(
  service: string,
  args: ServiceLinkArgs & {
    readonly namespace: pulumi.Input<string>;
    readonly labels: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource | undefined {
  const mounts = args.secrets ?? [];
  if (mounts.length === 0) return undefined;
  const objects = pulumi
    .all(mounts.map((m) => pulumi.output(m.arn)))
    .apply((arns) =>
      JSON.stringify(
        providerObjects(mounts.map((m, i) => ({ target: m.target, arn: arns[i]!, key: m.key }))),
      ),
    );
  return new k8s.apiextensions.CustomResource(
    `${service}-secrets`,
    {
      apiVersion: "secrets-store.csi.x-k8s.io/v1",
      kind: "SecretProviderClass",
      metadata: { name: SECRET_PROVIDER_CLASS, namespace: args.namespace, labels: args.labels },
      spec: {
        provider: "aws",
        parameters: { region: args.region!, usePodIdentity: "true", objects },
        secretObjects: syncedSecretObjects(
          service,
          mounts.map((m) => m.target),
        ),
      },
    },
    opts,
  );
}

/** The environment a service's links add: callee URLs, then secrets from the synced Secret. */
export function linkEnvironment(service: string, args: ServiceLinkArgs) {
  return [
    ...callEnvironment(args.callees ?? []),
    ...secretEnvironment(
      service,
      (args.secrets ?? []).map((m) => m.target),
    ),
  ];
}

/** The inline IAM policy of a service's secrets, as JSON: exactly the listed ARNs and keys. */
export function secretsPolicyJson(
  mounts: readonly SecretMount[],
  region: string,
): pulumi.Output<string> {
  const kmsKeys = mounts.flatMap((m) => (m.kmsKeyArn === undefined ? [] : [m.kmsKeyArn]));
  return pulumi
    .all(mounts.map((m) => pulumi.output(m.arn)))
    .apply((arns) => JSON.stringify(secretsAccessPolicy(arns, kmsKeys, region)));
}
