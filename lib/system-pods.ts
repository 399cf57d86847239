import { PodGroup, nodesNeeded } from "./capacity";

/**
 * The pods the system node group runs (the add-on Deployments that tolerate its
 * `CriticalAddonsOnly` taint), with their requests, so a test and the README can show the
 * group's instance type holds them, with a node to spare in production. DaemonSets on those
 * nodes (VPC CNI, kube-proxy, Pod Identity agent, EBS CSI node, Fluent Bit) are the per-node
 * overhead of lib/capacity.ts `NODE_OVERHEAD`; node-exporter adds a pod slot where it runs.
 *
 * Requests, at the pinned versions:
 * - coredns: 2 replicas of 100m/70Mi (the EKS coredns add-on's Deployment).
 * - metrics-server: 100m/200Mi (chart values.yaml `resources.requests`); counted at 2
 *   replicas, more than the chart's default of 1, so the check errs on the safe side.
 * - EBS CSI controller: 2 replicas (`controller.replicaCount`) of 10m/40Mi
 *   (`controller.resources`; the sidecars' `resources` are `{}`), aws-ebs-csi-driver values.yaml.
 * - AWS Load Balancer Controller: its replicas of 100m/128Mi (lib/chart-values.ts).
 * - Karpenter: its replicas of 250m/512Mi (lib/karpenter.ts `controller.resources`).
 * The secrets-store driver and its AWS provider set no tolerations (their values.yaml
 * `tolerations: []`), so they never run here.
 */
export function systemPods(input: {
  readonly karpenterReplicas: number;
  readonly loadBalancerControllerReplicas: number;
}): PodGroup[] {
  return [
    { owner: "kube-system/coredns", cpu: 0.1, memoryMiB: 70, count: 2 },
    { owner: "kube-system/metrics-server", cpu: 0.1, memoryMiB: 200, count: 2 },
    { owner: "kube-system/ebs-csi-controller", cpu: 0.01, memoryMiB: 40, count: 2 },
    {
      owner: "kube-system/aws-load-balancer-controller",
      cpu: 0.1,
      memoryMiB: 128,
      count: input.loadBalancerControllerReplicas,
    },
    {
      owner: "kube-system/karpenter",
      cpu: 0.25,
      memoryMiB: 512,
      count: input.karpenterReplicas,
    },
  ];
}

/**
 * The nodes of a type the system pods need, packed as the scheduler would; undefined when one
 * pod fits no node of the type. `nodeExporter` adds its pod slot on every node (observability).
 */
export function systemNodesNeeded(
  pods: readonly PodGroup[],
  instanceType: string,
  nodeExporter: boolean,
): number | undefined {
  return nodesNeeded(pods, instanceType, {
    cpu: 0,
    memoryMiB: 0,
    pods: nodeExporter ? 1 : 0,
  });
}
