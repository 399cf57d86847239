import * as pulumi from "@pulumi/pulumi";
import type { DeepReadonly } from "../../config/load";
import type { CLUSTER_LOG_TYPES, NodeGroupSettings } from "../../config/schema";
import type { Protection } from "../../lib/protection";
import { DEFAULT_KUBERNETES_VERSION, UpgradePolicy } from "../../lib/versions";

/** One managed node group's settings, as config/schema.ts defines them. */
export type NodeGroupArgs = DeepReadonly<NodeGroupSettings>;

/** An EKS control-plane log type. */
export type ClusterLogType = (typeof CLUSTER_LOG_TYPES)[number];

/** The inputs of {@link EksCluster}; the defaults are {@link EKS_DEFAULTS}. */
export interface EksClusterArgs {
  /** The EKS cluster's physical name, fixed (lib/naming.ts `clusterName`): kubeconfigs, IAM and Pod Identity refer to it. @default - none (required) */
  readonly clusterName: string;
  /** Kubernetes minor version, one of lib/versions.ts SUPPORTED_KUBERNETES_VERSIONS. @default "1.35" */
  readonly version?: string;
  /** EKS support policy: EXTENDED keeps an old version running at six times the hourly price. @default "STANDARD" */
  readonly upgradePolicy?: UpgradePolicy;
  /** Control-plane log types sent to CloudWatch Logs. @default ["api", "audit", "authenticator"] */
  readonly logTypes?: readonly ClusterLogType[];
  /** Retention of the control-plane log group, in days (a CloudWatch Logs retention period). @default 90 */
  readonly logRetentionDays?: number;
  /** Private subnet IDs in at least two AZs (counted when given as an array), for the control plane's interfaces and every node group. @default - none (required) */
  readonly subnetIds: pulumi.Input<readonly pulumi.Input<string>[]>;
  /** Expose the Kubernetes API publicly, to `publicAccessCidrs` only; private access is always on. @default false */
  readonly endpointPublicAccess?: boolean;
  /** CIDR blocks allowed to reach the public endpoint; must be empty when it is off. @default [] */
  readonly publicAccessCidrs?: readonly string[];
  /** Accept a public endpoint open to 0.0.0.0/0 (pass `!config.production`; config/rules.ts also rejects it in production). @default false */
  readonly allowWorldOpenEndpoint?: boolean;
  /** EKS deletion protection: a delete fails until it is turned off. @default false */
  readonly deletionProtection?: boolean;
  /** Pulumi `protect` for the stateful children (KMS key, log group, cluster, node groups). @default - none (required) */
  readonly protection: Protection;
  /** Days a deleted secrets-encryption KMS key waits before it is destroyed, 7 to 30. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** IAM role or user ARNs granted cluster admin; when empty, the deploying identity's role is. @default [] */
  readonly admins?: readonly string[];
  /** IAM role or user ARNs granted read-only access (AmazonEKSViewPolicy, no Secrets). @default [] */
  readonly viewers?: readonly string[];
  /** The CI deploy role, a cluster admin besides `admins`; empty for none. @default "" */
  readonly ciDeployRole?: string;
  /** The CI preview role: a viewer that may also read what a refresh reads (`PREVIEW_GROUP`); empty for none. @default "" */
  readonly ciPreviewRole?: string;
  /** The role running the deployment, made admin when no admin is configured. @default - the caller's role, from `getSessionContext` */
  readonly deployerArn?: pulumi.Input<string>;
  /** The network's egress path (`Vpc.egress`): addons and node groups call AWS through it, so they come after it and go before it. @default [] */
  readonly egress?: readonly pulumi.Resource[];
  /** Managed node groups by name (a DNS label): instance types of one architecture, sizes, labels, taints. @default - none (required) */
  readonly nodeGroups: Readonly<Record<string, NodeGroupArgs>>;
  /** Addon versions that replace lib/versions.ts ADDON_VERSIONS for this cluster, by addon name. @default {} */
  readonly addonVersions?: Readonly<Partial<Record<string, string>>>;
  /** AWS profile the kubeconfig runs `aws eks get-token` with (as AWS_PROFILE); empty for the default chain. @default "" */
  readonly kubeconfigProfile?: string;
  /** IAM role the kubeconfig's `aws eks get-token` assumes (`--role-arn`); empty for none. @default "" */
  readonly kubeconfigRoleArn?: string;
  /** The AWS region the cluster runs in (`aws:region`), written into the kubeconfig. @default - none (required) */
  readonly region: string;
  /** Tags for every taggable child (lib/tags.ts `baseTags`); each child adds its own `Name`. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The defaults of {@link EksClusterArgs}, applied once with `??`. */
export const EKS_DEFAULTS = {
  version: DEFAULT_KUBERNETES_VERSION as string,
  upgradePolicy: UpgradePolicy.Standard as UpgradePolicy,
  logTypes: ["api", "audit", "authenticator"] as readonly ClusterLogType[],
  logRetentionDays: 90,
  endpointPublicAccess: false,
  publicAccessCidrs: [] as readonly string[],
  allowWorldOpenEndpoint: false,
  deletionProtection: false,
  kmsDeletionWindowDays: 30,
  admins: [] as readonly string[],
  viewers: [] as readonly string[],
  ciDeployRole: "",
  ciPreviewRole: "",
  egress: [] as readonly pulumi.Resource[],
  addonVersions: {} as Readonly<Partial<Record<string, string>>>,
  kubeconfigProfile: "",
  kubeconfigRoleArn: "",
  tags: {} as Readonly<Record<string, string>>,
} as const;

/** {@link EksClusterArgs} with every default applied. */
export type ResolvedEksClusterArgs = Required<Omit<EksClusterArgs, "deployerArn">> &
  Pick<EksClusterArgs, "deployerArn">;

/** Applies {@link EKS_DEFAULTS} to the optional args. */
export function withDefaults(args: EksClusterArgs): ResolvedEksClusterArgs {
  const d = EKS_DEFAULTS;
  return {
    ...args,
    version: args.version ?? d.version,
    upgradePolicy: args.upgradePolicy ?? d.upgradePolicy,
    logTypes: args.logTypes ?? d.logTypes,
    logRetentionDays: args.logRetentionDays ?? d.logRetentionDays,
    endpointPublicAccess: args.endpointPublicAccess ?? d.endpointPublicAccess,
    publicAccessCidrs: args.publicAccessCidrs ?? d.publicAccessCidrs,
    allowWorldOpenEndpoint: args.allowWorldOpenEndpoint ?? d.allowWorldOpenEndpoint,
    deletionProtection: args.deletionProtection ?? d.deletionProtection,
    kmsDeletionWindowDays: args.kmsDeletionWindowDays ?? d.kmsDeletionWindowDays,
    admins: args.admins ?? d.admins,
    viewers: args.viewers ?? d.viewers,
    ciDeployRole: args.ciDeployRole ?? d.ciDeployRole,
    ciPreviewRole: args.ciPreviewRole ?? d.ciPreviewRole,
    egress: args.egress ?? d.egress,
    addonVersions: args.addonVersions ?? d.addonVersions,
    kubeconfigProfile: args.kubeconfigProfile ?? d.kubeconfigProfile,
    kubeconfigRoleArn: args.kubeconfigRoleArn ?? d.kubeconfigRoleArn,
    tags: args.tags ?? d.tags,
  };
}

/** The subnet IDs as a provider input, whether given as an array or as one Output. */
export function subnetInput(
  ids: EksClusterArgs["subnetIds"],
): pulumi.Input<pulumi.Input<string>[]> {
  return isArray(ids) ? [...ids] : pulumi.output(ids).apply((list) => [...list]);
}

function isArray<T>(value: pulumi.Input<readonly T[]>): value is readonly T[] {
  return Array.isArray(value);
}

/** The AWS partition of a region, for ARNs of AWS-managed policies. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
