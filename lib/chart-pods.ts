import { ExtraDaemonSets } from "./capacity";
import { CHARTS } from "./charts";
import { ResourceLike, Workload, cpuOf, memoryOf } from "./scheduled-pods";

/**
 * The pods a Helm release runs on the workload's nodes, read from its recorded values, so the
 * capacity estimate counts them next to the services' Deployments. A Helm release is one
 * resource in the record: its Deployments and StatefulSets are not, so each chart that
 * schedules pods outside the system node group is described here, pod by pod, with the values
 * key that sets its requests. Only pods that do not tolerate the system group's taint are
 * listed (they land on Karpenter's nodes). DaemonSets are per-node overhead: lib/capacity.ts
 * `NODE_OVERHEAD` holds the add-ons' and Fluent Bit's, {@link chartDaemonSetsOf} the other
 * charts'. A pod whose chart sets no requests is counted at zero
 * requests: the scheduler and Karpenter size nodes by requests, and it still takes a pod slot.
 */

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

// Pulumi's marker for a secret value inside recorded inputs (Helm values holding a password).
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const at = (values: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => {
    const o =
      v !== null && typeof v === "object" && SECRET_SIG in v
        ? (v as unknown as { value: unknown }).value
        : v;
    return o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined;
  }, values);

/** One pod a chart runs: its name, replicas and where its requests are in the values. */
interface ChartPod {
  readonly name: string;
  readonly replicas: number;
  /** The values path of the pod's `resources` (its main container's). */
  readonly resources: readonly string[];
}

/**
 * The pods of each chart that land on Karpenter's nodes, at the pinned version (lib/charts.ts).
 * kube-prometheus-stack's values.yaml: `prometheus.prometheusSpec.resources` (set in
 * lib/chart-values.ts), `alertmanager.alertmanagerSpec.resources`, `grafana.resources`,
 * `prometheusOperator.resources` and `kube-state-metrics.resources` (each `{}` by default);
 * one replica each (`prometheusSpec.replicas`, `alertmanagerSpec.replicas`, grafana's and the
 * subcharts' `replicas` default to 1). node-exporter is a DaemonSet.
 */
const CHART_PODS: Readonly<Record<string, readonly ChartPod[]>> = {
  [CHARTS.kubePrometheusStack.chart]: [
    { name: "prometheus", replicas: 1, resources: ["prometheus", "prometheusSpec", "resources"] },
    {
      name: "alertmanager",
      replicas: 1,
      resources: ["alertmanager", "alertmanagerSpec", "resources"],
    },
    { name: "grafana", replicas: 1, resources: ["grafana", "resources"] },
    { name: "operator", replicas: 1, resources: ["prometheusOperator", "resources"] },
    { name: "kube-state-metrics", replicas: 1, resources: ["kube-state-metrics", "resources"] },
  ],
};

/** The charts whose pods {@link chartWorkloadsOf} counts. */
export const CHARTS_WITH_COUNTED_PODS = Object.keys(CHART_PODS);

/** The pods of the recorded Helm releases that run on the workload's nodes, as workloads. */
export function chartWorkloadsOf(resources: readonly ResourceLike[]): Workload[] {
  return resources
    .filter((r) => r.type === HELM_RELEASE && typeof r.inputs.chart === "string")
    .flatMap((r) => {
      const chart = r.inputs.chart as string;
      const namespace = typeof r.inputs.namespace === "string" ? r.inputs.namespace : "default";
      return (CHART_PODS[chart] ?? []).map((pod) => {
        const requests = at(r.inputs.values, [...pod.resources, "requests"]);
        return {
          name: `${namespace}/${chart}:${pod.name}`,
          namespace,
          cpu: cpuOf(at(requests, ["cpu"])),
          memoryMiB: memoryOf(at(requests, ["memory"])),
          minReplicas: pod.replicas,
          maxReplicas: pod.replicas,
        };
      });
    });
}

/**
 * The DaemonSet pods each chart adds to every node Karpenter launches, beyond `NODE_OVERHEAD`,
 * at the charts' default requests: secrets-store-csi-driver values.yaml `linux.driver` (50m,
 * 100Mi), `linux.registrar` and `linux.livenessProbe` (10m, 20Mi each);
 * secrets-store-csi-driver-provider-aws values.yaml `resources` (50m, 100Mi);
 * kube-prometheus-stack's node-exporter (prometheus-node-exporter `resources: {}`).
 */
const CHART_DAEMONSETS: Readonly<Record<string, ExtraDaemonSets>> = {
  [CHARTS.secretsStoreCsiDriver.chart]: { cpu: 0.07, memoryMiB: 140, pods: 1 },
  [CHARTS.secretsStoreProviderAws.chart]: { cpu: 0.05, memoryMiB: 100, pods: 1 },
  [CHARTS.kubePrometheusStack.chart]: { cpu: 0, memoryMiB: 0, pods: 1 },
};

/** The DaemonSet pods the recorded Helm releases add to every node, summed. */
export function chartDaemonSetsOf(resources: readonly ResourceLike[]): ExtraDaemonSets {
  return resources
    .filter((r) => r.type === HELM_RELEASE && typeof r.inputs.chart === "string")
    .map((r) => CHART_DAEMONSETS[r.inputs.chart as string])
    .reduce<ExtraDaemonSets>(
      (sum, d) =>
        d === undefined
          ? sum
          : {
              cpu: sum.cpu + d.cpu,
              memoryMiB: sum.memoryMiB + d.memoryMiB,
              pods: sum.pods + d.pods,
            },
      { cpu: 0, memoryMiB: 0, pods: 0 },
    );
}
