import type { DeepReadonly } from "../config/load";
import type { NodePoolSettings } from "../config/node-pools";
import {
  Architecture,
  INSTANCE_TYPES,
  architectureOf,
  categoryOf,
  familyOf,
} from "./instance-types";

/** One NodePool's settings, as config/node-pools.ts validates them. */
export type NodePoolConfig = DeepReadonly<NodePoolSettings>;

/** The labels Karpenter's NodePool requirements use (karpenter.sh docs, concepts/scheduling). */
export const KARPENTER_LABELS = {
  capacityType: "karpenter.sh/capacity-type",
  arch: "kubernetes.io/arch",
  category: "karpenter.k8s.aws/instance-category",
  family: "karpenter.k8s.aws/instance-family",
  cpu: "karpenter.k8s.aws/instance-cpu",
  nodePool: "karpenter.sh/nodepool",
} as const;

/** The EC2NodeClass every NodePool of the platform uses. */
export const NODE_CLASS_NAME = "default";

/**
 * How long Karpenter may drain a node before it deletes it anyway (PDBs are respected until
 * then): bounds how long a destroy, an expiry or a consolidation waits on one node.
 */
export const TERMINATION_GRACE_PERIOD = "15m";

/** A NodePool requirement (a Kubernetes node selector requirement). */
export interface Requirement {
  readonly key: string;
  readonly operator: "In" | "Lt";
  readonly values: string[];
}

/** The Kubernetes architecture name of an EC2 instance type. */
export function kubernetesArchOf(instanceType: string): "amd64" | "arm64" {
  return architectureOf(instanceType) === Architecture.Arm64 ? "arm64" : "amd64";
}

/** The requirements of a NodePool: capacity types, architectures, categories or families, size. */
export function nodePoolRequirements(pool: NodePoolConfig): Requirement[] {
  const req = (key: string, values: readonly string[]): Requirement[] =>
    values.length > 0 ? [{ key, operator: "In", values: [...values] }] : [];
  return [
    ...req(KARPENTER_LABELS.capacityType, pool.capacityTypes),
    ...req(KARPENTER_LABELS.arch, pool.architectures),
    ...req(KARPENTER_LABELS.category, pool.instanceCategories),
    ...req(KARPENTER_LABELS.family, pool.instanceFamilies),
    // `Lt` rather than `Lte`: Lte arrived in later v1 releases; Lt has been there since v1.0.
    { key: KARPENTER_LABELS.cpu, operator: "Lt", values: [String(pool.maxInstanceVcpu + 1)] },
  ];
}

/**
 * The `spec` of a `karpenter.sh/v1` NodePool (fields as in the Karpenter v1.10 docs,
 * concepts/nodepools): requirements from config, the shared EC2NodeClass, consolidation of empty
 * and underutilized nodes after a delay, a lifetime, a budget of nodes disrupted at once, and
 * `limits`, which stop Karpenter launching once the pool's nodes reach them.
 */
export function nodePoolSpec(pool: NodePoolConfig, nodeClassName = NODE_CLASS_NAME) {
  return {
    template: {
      metadata: { labels: { ...pool.labels } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClassName },
        requirements: nodePoolRequirements(pool),
        taints: pool.taints.map((t) => ({ ...t })),
        expireAfter: pool.expireAfter,
        terminationGracePeriod: TERMINATION_GRACE_PERIOD,
      },
    },
    disruption: {
      consolidationPolicy: "WhenEmptyOrUnderutilized",
      consolidateAfter: pool.consolidateAfter,
      budgets: [{ nodes: `${pool.disruptionBudgetPercent}%` }],
    },
    limits: { cpu: String(pool.cpuLimit), memory: `${pool.memoryLimitGiB}Gi` },
    // The NodePool CRD takes a weight from 1 to 100 and reads a missing one as 0
    // (pkg/apis/crds/karpenter.sh_nodepools.yaml, `minimum: 1`): 0 is sent as no weight.
    ...(pool.weight > 0 ? { weight: pool.weight } : {}),
  };
}

/** The requirements a catalog check reads, from config or from a recorded NodePool's spec. */
export interface PoolShape {
  readonly capacityTypes: readonly string[];
  readonly architectures: readonly string[];
  readonly instanceCategories: readonly string[];
  readonly instanceFamilies: readonly string[];
  readonly maxInstanceVcpu: number;
}

/** The {@link PoolShape} of recorded NodePool requirements; an absent key allows everything. */
export function poolShapeOf(requirements: readonly unknown[]): PoolShape {
  const values = (key: string): string[] => {
    const r = requirements.find(
      (x): x is { key: string; values: unknown[] } =>
        typeof x === "object" && x !== null && (x as { key?: unknown }).key === key,
    );
    return (r?.values ?? []).filter((v): v is string => typeof v === "string");
  };
  const cpu = Number(values(KARPENTER_LABELS.cpu)[0]);
  return {
    capacityTypes: values(KARPENTER_LABELS.capacityType),
    architectures: values(KARPENTER_LABELS.arch),
    instanceCategories: values(KARPENTER_LABELS.category),
    instanceFamilies: values(KARPENTER_LABELS.family),
    maxInstanceVcpu: Number.isFinite(cpu) ? cpu - 1 : Infinity,
  };
}

/**
 * The instance types of lib/instance-types.ts a pool allows, cheapest families first is the cost
 * model's business; this is the catalog the plan and the policies reason over. Karpenter itself
 * may choose other types that match; the catalog is the part we can price.
 */
export function allowedInstanceTypes(pool: PoolShape): string[] {
  const any = (list: readonly string[], value: string) => list.length === 0 || list.includes(value);
  return Object.keys(INSTANCE_TYPES).filter(
    (t) =>
      any(pool.architectures, kubernetesArchOf(t)) &&
      any(pool.instanceCategories, categoryOf(t)) &&
      any(pool.instanceFamilies, familyOf(t)) &&
      INSTANCE_TYPES[t]!.vcpu <= pool.maxInstanceVcpu,
  );
}
