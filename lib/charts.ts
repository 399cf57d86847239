/** One Helm chart this project installs, pinned. */
export interface ChartPin {
  /** The chart's name in its repository. */
  readonly chart: string;
  /** The Helm repository URL (`helm repo add`). */
  readonly repo: string;
  /** The exact chart version: never a range, so a deploy is reproducible. */
  readonly version: string;
  /** The version of the software the chart installs, where the source states it. */
  readonly appVersion?: string;
  /** The namespace it is installed in. */
  readonly namespace: string;
  /** Where the pin was read, and when. */
  readonly source: string;
}

/**
 * Every Helm chart of the platform, in one table: bump a version here, in one reviewed line.
 * Versions were read on 2026-11-24 from the sources named; check the chart's release notes
 * (CRD changes, values renamed) before bumping, because Helm does not upgrade CRDs.
 */
export const CHARTS = {
  awsLoadBalancerController: {
    chart: "aws-load-balancer-controller",
    repo: "https://aws.github.io/eks-charts",
    version: "3.5.0",
    appVersion: "v3.5.0",
    namespace: "kube-system",
    source:
      "aws/eks-charts PR #1354 'aws-load-balancer-controller: v3.5.0', merged 2026-08-03; since v3 the chart version equals the controller version",
  },
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    repo: "https://prometheus-community.github.io/helm-charts",
    version: "91.2.1",
    namespace: "monitoring",
    source:
      "prometheus-community/helm-charts release kube-prometheus-stack-91.2.1, published by 2026-09-13 (renovate PR AndreiGavriliu/homelab#7310); majors follow prometheus-operator bumps, see the chart's UPGRADE.md for CRD steps",
  },
  awsForFluentBit: {
    chart: "aws-for-fluent-bit",
    repo: "https://aws.github.io/eks-charts",
    version: "0.2.0",
    appVersion: "3.2.1",
    namespace: "host-agents",
    source:
      "aws/eks-charts PR #1294 'Upgrade aws-for-fluent-bit chart to v0.2.0 (upstream version to 3.2.1)', merged 2026-01",
  },
  // Secrets delivery (components/platform/secrets-delivery.ts): the driver and AWS's provider,
  // two releases so each is pinned here; the provider chart's bundled driver is turned off.
  secretsStoreCsiDriver: {
    chart: "secrets-store-csi-driver",
    repo: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
    version: "1.6.1",
    appVersion: "v1.6.1",
    namespace: "kube-system",
    source:
      "kubernetes-sigs/secrets-store-csi-driver charts/secrets-store-csi-driver-1.6.1.tgz (the chart repository's index); 1.6.0 seen deployed beside provider chart 3.1.1 on EKS on 2026-06-19",
  },
  secretsStoreProviderAws: {
    chart: "secrets-store-csi-driver-provider-aws",
    repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
    version: "3.1.1",
    namespace: "kube-system",
    source:
      "aws/secrets-store-csi-driver-provider-aws charts/secrets-store-csi-driver-provider-aws; 3.1.1 seen deployed with driver 1.6.0 on EKS on 2026-06-19 (helm list in a public EKS course log); since 2.x the chart bundles the driver behind secrets-store-csi-driver.install",
  },
  // Karpenter ships its CRDs twice: in the controller chart's crds/ folder, which Helm installs
  // once and never upgrades, and as the karpenter-crd chart, whose templates Helm upgrades with
  // every release. The upgrade guide recommends the second; the controller chart skips its own.
  karpenterCrd: {
    chart: "karpenter-crd",
    repo: "oci://public.ecr.aws/karpenter",
    version: "1.10.0",
    appVersion: "1.10.0",
    namespace: "kube-system",
    source:
      "aws/karpenter-provider-aws website/content/en/v1.10/upgrading/upgrade-guide.md ('Upgrading to 1.10.0+', 'CRD Upgrades'); v1.10 reference/cloudformation.md pins KARPENTER_VERSION=1.10.0; keep equal to karpenter",
  },
  karpenter: {
    chart: "karpenter",
    repo: "oci://public.ecr.aws/karpenter",
    version: "1.10.0",
    appVersion: "1.10.0",
    namespace: "kube-system",
    source:
      "aws/karpenter-provider-aws website/content/en/v1.10/upgrading/upgrade-guide.md; v1.9 upgrading/compatibility.md: Kubernetes 1.35 needs Karpenter >= 1.9; read the 'Upgrading to x.y.z+' section and bump karpenterCrd and policies/karpenter-controller.json with it",
  },
} as const satisfies Record<string, ChartPin>;

/** A chart of {@link CHARTS}, by key. */
export type ChartKey = keyof typeof CHARTS;

/**
 * The namespace of the node agents that read the host (node-exporter, Fluent Bit): the only
 * platform namespace that enforces PSS "privileged".
 */
export const HOST_AGENTS_NAMESPACE = CHARTS.awsForFluentBit.namespace;

/** The namespace Prometheus runs in: services let it scrape them from there. */
export const MONITORING_NAMESPACE = CHARTS.kubePrometheusStack.namespace;
