import { ENI_MAX_PODS, INSTANCE_TYPES } from "./instance-types";

/**
 * What a node can give pods, and how many nodes a set of pods needs: the capacity model the
 * plan prices and the policies check. Pure functions over instance sizes and pod requests.
 */

/** Pods of one workload with the same requests: `count` replicas of `cpu` cores and `memoryMiB`. */
export interface PodGroup {
  readonly owner: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly count: number;
}

/**
 * What every node Karpenter launches runs besides the workload, and what it keeps back.
 * - DaemonSets: aws-node (25m), kube-proxy (100m), the Pod Identity agent, the EBS CSI node
 *   plugin and Fluent Bit: about 200m and 350 MiB in 5 pods (their addon and chart requests).
 * - Eviction threshold: 100 MiB (kubelet `memory.available` default on the EKS AMIs).
 * - VM overhead: 7.5% of memory (Karpenter's `vmMemoryOverheadPercent` default).
 * - kube-reserved: the EKS AMI formula ({@link kubeReservedCpu}, {@link kubeReservedMemoryMiB}).
 */
export const NODE_OVERHEAD = {
  daemonSetCpu: 0.2,
  daemonSetMemoryMiB: 350,
  daemonSetPods: 5,
  evictionMiB: 100,
  vmMemoryOverhead: 0.075,
} as const;

/**
 * CPU the kubelet reserves (cores), as the EKS AMIs and Karpenter compute it: 6% of the first
 * core, 1% of the second, 0.5% of the third and fourth, 0.25% of every further core.
 */
export function kubeReservedCpu(vcpu: number): number {
  const bands: [number, number][] = [
    [1, 0.06],
    [1, 0.01],
    [2, 0.005],
    [Infinity, 0.0025],
  ];
  let left = vcpu;
  let reserved = 0;
  for (const [cores, share] of bands) {
    const used = Math.min(left, cores);
    reserved += used * share;
    left -= used;
  }
  return reserved;
}

/** Memory the kubelet reserves (MiB): 11 MiB per pod the node may run, plus 255 MiB. */
export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

/** What one node of a type offers the workload's pods. */
export interface Allocatable {
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly pods: number;
}

/** DaemonSet pods a stack adds to every node beyond {@link NODE_OVERHEAD}'s (chart agents). */
export interface ExtraDaemonSets {
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly pods: number;
}

const NO_EXTRA: ExtraDaemonSets = { cpu: 0, memoryMiB: 0, pods: 0 };

/**
 * The share of an instance type left for workload pods, after {@link NODE_OVERHEAD} and the
 * stack's `extra` DaemonSets.
 */
export function allocatable(instanceType: string, extra: ExtraDaemonSets = NO_EXTRA): Allocatable {
  const size = INSTANCE_TYPES[instanceType];
  const maxPods = ENI_MAX_PODS[instanceType];
  if (!size || maxPods === undefined) {
    throw new Error(
      `no size or max pods for instance type ${instanceType} in lib/instance-types.ts`,
    );
  }
  const o = NODE_OVERHEAD;
  return {
    cpu: size.vcpu - kubeReservedCpu(size.vcpu) - o.daemonSetCpu - extra.cpu,
    memoryMiB:
      size.memoryGiB * 1024 * (1 - o.vmMemoryOverhead) -
      kubeReservedMemoryMiB(maxPods) -
      o.evictionMiB -
      o.daemonSetMemoryMiB -
      extra.memoryMiB,
    pods: maxPods - o.daemonSetPods - extra.pods,
  };
}

/** True when one pod of a group fits an empty node of the type. */
export function fits(
  pod: Pick<PodGroup, "cpu" | "memoryMiB">,
  instanceType: string,
  extra: ExtraDaemonSets = NO_EXTRA,
): boolean {
  const a = allocatable(instanceType, extra);
  return pod.cpu <= a.cpu && pod.memoryMiB <= a.memoryMiB && a.pods >= 1;
}

/**
 * The nodes of one type the pods need, packed first-fit decreasing (largest pod first, by its
 * larger share of a node), as a scheduler filling nodes would; undefined when a pod fits none.
 */
export function nodesNeeded(
  groups: readonly PodGroup[],
  instanceType: string,
  extra: ExtraDaemonSets = NO_EXTRA,
): number | undefined {
  const a = allocatable(instanceType, extra);
  if (groups.some((g) => g.count > 0 && !fits(g, instanceType, extra))) return undefined;
  const pods = groups
    .flatMap((g) => Array.from({ length: g.count }, () => g))
    .sort(
      (x, y) =>
        Math.max(y.cpu / a.cpu, y.memoryMiB / a.memoryMiB) -
        Math.max(x.cpu / a.cpu, x.memoryMiB / a.memoryMiB),
    );
  const nodes: { cpu: number; memoryMiB: number; pods: number }[] = [];
  for (const pod of pods) {
    let node = nodes.find((n) => n.cpu >= pod.cpu && n.memoryMiB >= pod.memoryMiB && n.pods >= 1);
    if (!node) {
      node = { ...a };
      nodes.push(node);
    }
    node.cpu -= pod.cpu;
    node.memoryMiB -= pod.memoryMiB;
    node.pods -= 1;
  }
  return nodes.length;
}

/** A packing: how many nodes of which type, at what hourly price each. */
export interface Packing {
  readonly instanceType: string;
  readonly nodes: number;
  readonly hourlyPerNode: number;
}

/**
 * The cheapest way to run the pods on nodes of one allowed type (Karpenter mixes types; one
 * type per pool is the estimate), given each type's hourly price. Undefined when no allowed
 * type holds every pod.
 */
export function cheapestPacking(
  groups: readonly PodGroup[],
  instanceTypes: readonly string[],
  hourly: (instanceType: string) => number,
  extra: ExtraDaemonSets = NO_EXTRA,
): Packing | undefined {
  let best: Packing | undefined;
  for (const instanceType of instanceTypes) {
    const nodes = nodesNeeded(groups, instanceType, extra);
    if (nodes === undefined) continue;
    const candidate = { instanceType, nodes, hourlyPerNode: hourly(instanceType) };
    const cost = (p: Packing) => p.nodes * p.hourlyPerNode;
    if (!best || cost(candidate) < cost(best)) best = candidate;
  }
  return best;
}

/** The largest of the types (by allocatable CPU, then memory). */
export function largestType(
  instanceTypes: readonly string[],
  extra: ExtraDaemonSets = NO_EXTRA,
): string | undefined {
  return [...instanceTypes].sort((x, y) => {
    const [a, b] = [allocatable(x, extra), allocatable(y, extra)];
    return b.cpu - a.cpu || b.memoryMiB - a.memoryMiB;
  })[0];
}
