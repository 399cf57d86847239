import { PodGroup } from "./capacity";
import { KARPENTER_LABELS, PoolShape, allowedInstanceTypes, poolShapeOf } from "./node-pools";

/**
 * Which pods land on which Karpenter NodePool, read from recorded resources (the mocks' record,
 * or the policy pack's view of a preview): each Deployment's requests, at its autoscaler's
 * minReplicas and maxReplicas.
 */

/** A resource as this module reads it. */
export interface ResourceLike {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** The type token of a Karpenter NodePool. */
export const NODE_POOL_TYPE = "kubernetes:karpenter.sh/v1:NodePool";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);

/** Cores of a CPU quantity (`250m`, `1`, `1.5`); 0 when absent or unreadable. */
export function cpuOf(q: unknown): number {
  if (typeof q === "number") return q;
  if (typeof q !== "string") return 0;
  const n = q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q);
  return Number.isFinite(n) ? n : 0;
}

/** MiB of a memory quantity (`256Mi`, `1Gi`, `512M`, bytes); 0 when absent or unreadable. */
export function memoryOf(q: unknown): number {
  if (typeof q === "number") return q / 2 ** 20;
  if (typeof q !== "string") return 0;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) return 0;
  const unit: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    Ti: 1024 ** 2,
    k: 1000 / 2 ** 20,
    M: 1e6 / 2 ** 20,
    G: 1e9 / 2 ** 20,
    T: 1e12 / 2 ** 20,
  };
  return Number(m[1]) * (m[2] ? unit[m[2]]! : 1 / 2 ** 20);
}

/** One Deployment's pods: requests per pod, replica range, and the pool it asks for. */
export interface Workload {
  readonly name: string;
  readonly namespace: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The NodePool its nodeSelector names, if any. */
  readonly nodePool?: string;
}

/** The Deployments of a stack with the replica range their autoscalers give them. */
export function workloadsOf(resources: readonly ResourceLike[]): Workload[] {
  const hpas = resources.filter((r) => r.type === HPA);
  return resources
    .filter((r) => r.type === DEPLOYMENT)
    .map((d) => {
      const meta = obj(d.inputs.metadata);
      const namespace = str(meta.namespace, "default");
      const name = str(meta.name, d.name);
      const pod = obj(obj(obj(d.inputs.spec).template).spec);
      const requests = list(pod.containers).map((c) => obj(obj(obj(c).resources).requests));
      const hpa = hpas.find((h) => {
        const target = obj(obj(h.inputs.spec).scaleTargetRef);
        return target.name === name && obj(h.inputs.metadata).namespace === namespace;
      });
      const replicas = Number(obj(d.inputs.spec).replicas ?? 1);
      const spec = obj(hpa?.inputs.spec);
      const selector = obj(pod.nodeSelector)[KARPENTER_LABELS.nodePool];
      return {
        name: `${namespace}/${name}`,
        namespace,
        cpu: requests.reduce((sum, r) => sum + cpuOf(r.cpu), 0),
        memoryMiB: requests.reduce((sum, r) => sum + memoryOf(r.memory), 0),
        minReplicas: Number(spec.minReplicas ?? replicas),
        maxReplicas: Number(spec.maxReplicas ?? replicas),
        ...(typeof selector === "string" ? { nodePool: selector } : {}),
      };
    });
}

/** A recorded NodePool, read: its name, weight, taints, catalog and limits. */
export interface RecordedPool {
  readonly name: string;
  readonly weight: number;
  readonly tainted: boolean;
  readonly shape: PoolShape;
  readonly instanceTypes: string[];
  readonly spot: boolean;
  /** `limits.cpu` in cores and `limits.memory` in MiB; Infinity when unset. */
  readonly cpuLimit: number;
  readonly memoryLimitMiB: number;
}

/** The NodePools of a stack, read from their recorded specs. */
export function poolsOf(resources: readonly ResourceLike[]): RecordedPool[] {
  return resources
    .filter((r) => r.type === NODE_POOL_TYPE)
    .map((r) => {
      const spec = obj(r.inputs.spec);
      const template = obj(obj(spec.template).spec);
      const shape = poolShapeOf(list(template.requirements));
      const limits = obj(spec.limits);
      return {
        name: str(obj(r.inputs.metadata).name, r.name),
        weight: Number(spec.weight ?? 0),
        tainted: list(template.taints).length > 0,
        shape,
        instanceTypes: allowedInstanceTypes(shape),
        spot: shape.capacityTypes.includes("spot"),
        cpuLimit: limits.cpu === undefined ? Infinity : cpuOf(limits.cpu),
        memoryLimitMiB: limits.memory === undefined ? Infinity : memoryOf(limits.memory),
      };
    });
}

/**
 * The pool a workload's pods land on: the one its nodeSelector names, or else the untainted
 * pool of highest weight (Karpenter's choice among pools a pod fits; ties go to the first).
 */
export function poolFor(
  workload: Workload,
  pools: readonly RecordedPool[],
): RecordedPool | undefined {
  if (workload.nodePool !== undefined) return pools.find((p) => p.name === workload.nodePool);
  return pools
    .filter((p) => !p.tainted)
    .reduce<RecordedPool | undefined>(
      (best, p) => (!best || p.weight > best.weight ? p : best),
      undefined,
    );
}

/** The pod groups of the workloads that land on a pool, at min or max replicas. */
export function podsOn(
  pool: RecordedPool,
  workloads: readonly Workload[],
  pools: readonly RecordedPool[],
  at: "minReplicas" | "maxReplicas",
): PodGroup[] {
  return workloads
    .filter((w) => poolFor(w, pools)?.name === pool.name)
    .map((w) => ({ owner: w.name, cpu: w.cpu, memoryMiB: w.memoryMiB, count: w[at] }));
}
