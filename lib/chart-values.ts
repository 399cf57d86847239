import type * as pulumi from "@pulumi/pulumi";
import { NOT_ON_KARPENTER_NODES, SYSTEM_TOLERATION } from "./karpenter";

/**
 * Helm values of the platform charts, as plain objects (values may be Pulumi inputs, passed
 * through untouched), so tests read them without a cluster. Key names follow each chart's
 * `values.yaml` at the version pinned in lib/charts.ts.
 */

/** The service account the AWS Load Balancer Controller runs as (Pod Identity binds to it). */
export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** The service account Fluent Bit runs as. */
export const FLUENT_BIT_SERVICE_ACCOUNT = "aws-for-fluent-bit";

/** Values of the aws-load-balancer-controller chart. */
export function loadBalancerControllerValues(input: {
  readonly clusterName: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  readonly replicas: number;
  readonly tags: Readonly<Record<string, string>>;
}) {
  return {
    clusterName: input.clusterName,
    // Region and VPC given explicitly, so the controller never depends on reaching IMDS (nodes
    // may set the metadata hop limit to 1 to keep pods away from it).
    region: input.region,
    vpcId: input.vpcId,
    replicaCount: input.replicas,
    serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT },
    // Services opt in with `loadBalancerClass`; the webhook would otherwise claim every
    // LoadBalancer Service in the cluster, and fail their creation while it is down.
    enableServiceMutatorWebhook: false,
    // Tags on every load balancer, target group and security group the controller creates,
    // so cost reports and cleanup find them.
    defaultTags: { ...input.tags },
    podDisruptionBudget: { maxUnavailable: 1 },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    // On the system node group (chart values `tolerations` and `affinity`), never on a node
    // Karpenter may remove: a destroy needs the controller to delete NLBs while NodePools go.
    tolerations: [SYSTEM_TOLERATION],
    affinity: NOT_ON_KARPENTER_NODES,
  };
}

const volumeClaim = (storageClassName: pulumi.Input<string>, size: string) => ({
  storageClassName,
  accessModes: ["ReadWriteOnce"],
  resources: { requests: { storage: size } },
});

/** Sizes of the persistent volumes when persistence is on. */
export const MONITORING_VOLUME_SIZES = {
  prometheus: "50Gi",
  alertmanager: "10Gi",
  grafana: "10Gi",
} as const;
/** How long Prometheus keeps samples. */
export const PROMETHEUS_RETENTION = "15d";

/**
 * StatefulSet claims are kept when the StatefulSet goes (Kubernetes' default): uninstalling the
 * release would leave Prometheus' and Alertmanager's volumes behind. `whenDeleted: Delete`
 * removes them with the release, while the EBS CSI driver still runs (prometheusSpec key since
 * kube-prometheus-stack 59.1.0, alertmanagerSpec since 67.4.0; operator CRDs since v0.79.0).
 */
export const CLAIMS_GO_WITH_THE_RELEASE = { whenDeleted: "Delete", whenScaled: "Retain" } as const;

/** Values of the kube-prometheus-stack chart. */
export function kubePrometheusStackValues(input: {
  readonly grafanaAdminPassword: pulumi.Input<string>;
  /** Keep metrics and dashboards on EBS volumes of this storage class; undefined: ephemeral. */
  readonly storageClassName?: pulumi.Input<string>;
  /** The namespace node-exporter runs in: it reads the host, so not the release's own. */
  readonly nodeExporterNamespace: string;
}) {
  const sc = input.storageClassName;
  return {
    // The subchart's objects go to the host agents' namespace (prometheus-node-exporter
    // values.yaml `namespaceOverride`, read by its `prometheus-node-exporter.namespace` helper).
    "prometheus-node-exporter": { namespaceOverride: input.nodeExporterNamespace },
    grafana: {
      adminPassword: input.grafanaAdminPassword,
      // With persistence on, the chart's init-chown-data container runs as root with CHOWN,
      // which PSS "restricted" refuses; the chart's fsGroup (472) already owns the volume.
      initChownData: { enabled: false },
      // The test hook's pod sets no securityContext (grafana chart, testFramework): never needed.
      testFramework: { enabled: false },
      ...(sc === undefined
        ? { persistence: { enabled: false } }
        : {
            persistence: {
              enabled: true,
              type: "pvc",
              storageClassName: sc,
              accessModes: ["ReadWriteOnce"],
              size: MONITORING_VOLUME_SIZES.grafana,
            },
            // A ReadWriteOnce volume attaches to one node: a rolling update would deadlock.
            deploymentStrategy: { type: "Recreate" },
          }),
    },
    prometheus: {
      prometheusSpec: {
        retention: PROMETHEUS_RETENTION,
        // Select every ServiceMonitor/PodMonitor/rule in the cluster, not only the chart's own
        // (which carry its `release` label): services add theirs without knowing the release.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        resources: { requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "1Gi" } },
        ...(sc === undefined
          ? {}
          : {
              storageSpec: {
                volumeClaimTemplate: { spec: volumeClaim(sc, MONITORING_VOLUME_SIZES.prometheus) },
              },
              persistentVolumeClaimRetentionPolicy: CLAIMS_GO_WITH_THE_RELEASE,
            }),
      },
    },
    alertmanager: {
      alertmanagerSpec:
        sc === undefined
          ? {}
          : {
              storage: {
                volumeClaimTemplate: {
                  spec: volumeClaim(sc, MONITORING_VOLUME_SIZES.alertmanager),
                },
              },
              persistentVolumeClaimRetentionPolicy: CLAIMS_GO_WITH_THE_RELEASE,
            },
    },
    // EKS runs these control-plane parts out of reach (and kube-proxy's metrics listen on
    // localhost): scraping them would only fire TargetDown alerts forever.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
  };
}

/** Values of the aws-for-fluent-bit chart: container logs to one CloudWatch log group. */
export function fluentBitValues(input: {
  readonly region: pulumi.Input<string>;
  readonly logGroupName: pulumi.Input<string>;
}) {
  return {
    serviceAccount: { create: true, name: FLUENT_BIT_SERVICE_ACCOUNT },
    cloudWatchLogs: {
      enabled: true,
      region: input.region,
      logGroupName: input.logGroupName,
      // The group is ours, with its retention; the role may not create groups.
      autoCreateGroup: false,
    },
    cloudWatch: { enabled: false },
    firehose: { enabled: false },
    kinesis: { enabled: false },
    elasticsearch: { enabled: false },
    // Every node's logs, including nodes with taints; evicted last under node pressure.
    tolerations: [{ operator: "Exists" }],
    priorityClassName: "system-node-critical",
  };
}
