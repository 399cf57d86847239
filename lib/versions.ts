/**
 * Kubernetes versions this project deploys, with the dates Amazon EKS publishes for them.
 * Source: the EKS Kubernetes release calendar
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), read 2026-11-24.
 * Add a row when EKS releases a version; remove one when its extended support ends.
 */
export const KUBERNETES_VERSIONS = {
  "1.34": { released: "2025-10-06", endOfStandardSupport: "2026-12-02" },
  "1.35": { released: "2026-01-28", endOfStandardSupport: "2027-03-27" },
} as const;

/** A Kubernetes minor version in {@link KUBERNETES_VERSIONS}. */
export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;

/** The versions a config may ask for, oldest first. */
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(
  KUBERNETES_VERSIONS,
) as KubernetesVersion[];

/** The version a new stack gets. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.35";

/** EKS support policies: extended support costs $0.60 an hour against $0.10 for standard. */
export const UpgradePolicy = { Standard: "STANDARD", Extended: "EXTENDED" } as const;
/** An EKS upgrade policy support type. */
export type UpgradePolicy = (typeof UpgradePolicy)[keyof typeof UpgradePolicy];

/** EKS managed addons this project installs, by name. */
export const EKS_ADDONS = [
  "vpc-cni",
  "coredns",
  "kube-proxy",
  "eks-pod-identity-agent",
  "aws-ebs-csi-driver",
  "metrics-server",
] as const;
/** An EKS managed addon name. */
export type EksAddonName = (typeof EKS_ADDONS)[number];

/**
 * Addon versions pinned per Kubernetes version, overridable per stack with `addonVersions`.
 * Read 2026-11-24. Each is a version EKS lists for that Kubernetes version; confirm before an
 * upgrade with `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`.
 * - vpc-cni, coredns, kube-proxy: the "latest version" tables of the EKS user guide pages
 *   managing-vpc-cni, managing-coredns and managing-kube-proxy (docs.amazonaws.cn mirror).
 * - eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server (the user guide has no table):
 *   versions that public EKS 1.34/1.35 configurations pin and report ACTIVE.
 */
export const ADDON_VERSIONS: Record<KubernetesVersion, Record<EksAddonName, string>> = {
  "1.34": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    coredns: "v1.13.2-eksbuild.4",
    "kube-proxy": "v1.34.6-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    "aws-ebs-csi-driver": "v1.54.0-eksbuild.1",
    "metrics-server": "v0.8.1-eksbuild.6",
  },
  "1.35": {
    "vpc-cni": "v1.21.1-eksbuild.7",
    coredns: "v1.13.2-eksbuild.4",
    "kube-proxy": "v1.35.3-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    "aws-ebs-csi-driver": "v1.54.0-eksbuild.1",
    "metrics-server": "v0.8.1-eksbuild.6",
  },
};

/**
 * The EKS-optimized AL2023 AMI release Karpenter's nodes boot (an EC2NodeClass `alias`), pinned so
 * node images change only when this pin or config `nodeAmiAlias` changes (Karpenter then replaces
 * nodes as drifted, within the NodePools' disruption budgets). Release v20260903 ships AL2023
 * AMIs for Kubernetes 1.35 (1.35.7-20260903: entigolabs/entigo-infralib PR #1488, from the
 * awslabs/amazon-eks-ami releases page). Never `al2023@latest`: Karpenter docs warn it rolls every
 * node whenever EKS publishes an AMI.
 */
export const DEFAULT_NODE_AMI_ALIAS = "al2023@v20260903";
/** An AL2023 AMI alias pinned to a release (`al2023@vYYYYMMDD`), never `@latest`. */
export const AMI_ALIAS = /^al2023@v\d{8}$/;
