import { allocatable, fits, largestType, nodesNeeded } from "../../lib/capacity";
import { chartDaemonSetsOf, chartWorkloadsOf } from "../../lib/chart-pods";
import { INSTANCE_TYPES } from "../../lib/instance-types";
import { NODE_POOL_TYPE, podsOn, poolFor, poolsOf, workloadsOf } from "../../lib/scheduled-pods";
import { Enforcement, Rule, Severity } from "./types";
import { field, isTrue, objects } from "./util";

const NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** Rules for Karpenter's EC2NodeClass and NodePools, and for the pods they must hold. */
export const karpenterRules: readonly Rule[] = [
  {
    id: "ec2nodeclass-imdsv2",
    description:
      "EC2NodeClasses require IMDSv2 tokens with a hop limit of 1, as the node groups' launch templates do: pods cannot reach the node role",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [NODE_CLASS],
    scope: "resource",
    check(r) {
      const tokens = field(r, "spec.metadataOptions.httpTokens");
      const hops = field(r, "spec.metadataOptions.httpPutResponseHopLimit");
      if (tokens !== "required") {
        return `spec.metadataOptions.httpTokens is ${JSON.stringify(tokens ?? "unset (Karpenter's default is required, but say so)")}; set it to "required"`;
      }
      return hops === 1
        ? undefined
        : `spec.metadataOptions.httpPutResponseHopLimit is ${String(hops)}; set it to 1`;
    },
  },
  {
    id: "ec2nodeclass-encrypted-volumes",
    description: "EC2NodeClasses declare their EBS volumes, every one encrypted",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [NODE_CLASS],
    scope: "resource",
    check(r) {
      const ebs = objects(field(r, "spec.blockDeviceMappings")).map(
        (m) => m.ebs as Record<string, unknown> | undefined,
      );
      if (ebs.length === 0)
        return "no spec.blockDeviceMappings: the root volume takes the AMI's default";
      const plain = ebs.filter((e) => !isTrue(e?.encrypted)).length;
      return plain === 0 ? undefined : `${plain} block device mapping(s) are not encrypted`;
    },
  },
  {
    id: "nodepool-limits",
    description:
      "NodePools set limits.cpu and limits.memory: the ceiling that stops a runaway autoscaler (or a bad deploy) from launching instances without end",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [NODE_POOL_TYPE],
    scope: "resource",
    check(r) {
      const missing = ["cpu", "memory"].filter((k) => field(r, `spec.limits.${k}`) === undefined);
      return missing.length === 0 ? undefined : `spec.limits has no ${missing.join(" or ")}`;
    },
  },
  {
    id: "pod-fits-nodepool",
    description:
      "Every Deployment's pod fits the largest instance its NodePool allows, after the node's own reservations; otherwise it stays Pending forever",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [DEPLOYMENT],
    scope: "stack",
    check(r, ctx) {
      const pools = poolsOf(ctx.resources);
      if (pools.length === 0) return undefined;
      const workload = workloadsOf([r])[0]!;
      const pool = poolFor(workload, pools);
      if (!pool)
        return `no NodePool takes its pods (${workload.nodePool ?? "every pool is tainted"})`;
      // The same per-node reservations as the cost model: the charts' DaemonSets included.
      const extra = chartDaemonSetsOf(ctx.resources);
      if (pool.instanceTypes.some((t) => fits(workload, t, extra))) return undefined;
      const largest = largestType(pool.instanceTypes, extra);
      if (!largest) return `NodePool ${pool.name} allows no instance type of lib/instance-types.ts`;
      const a = allocatable(largest, extra);
      return `a pod requests ${workload.cpu} CPU and ${Math.round(workload.memoryMiB)} MiB, more than the largest instance NodePool ${pool.name} allows (${largest}: ${INSTANCE_TYPES[largest]!.vcpu} vCPU, ${a.cpu.toFixed(2)} CPU and ${Math.floor(a.memoryMiB)} MiB allocatable): it would stay Pending forever; lower the requests or raise the pool's maxInstanceVcpu`;
    },
  },
  {
    id: "nodepool-limits-reach-max-replicas",
    description:
      "A NodePool's limits hold the nodes its workloads need at maxReplicas; otherwise the autoscaler stops short and pods wait Pending",
    severity: Severity.Medium,
    enforcement: Enforcement.Advisory,
    resourceTypes: [NODE_POOL_TYPE],
    scope: "stack",
    check(r, ctx) {
      const pools = poolsOf(ctx.resources);
      const pool = poolsOf([r])[0]!;
      // What the cost model packs: the Deployments and the charts' pods, on nodes that also
      // run the charts' DaemonSets.
      const workloads = [...workloadsOf(ctx.resources), ...chartWorkloadsOf(ctx.resources)];
      const extra = chartDaemonSetsOf(ctx.resources);
      const groups = podsOn(pool, workloads, pools, "maxReplicas").filter((g) => g.count > 0);
      if (groups.length === 0) return undefined;
      // The fewest nodes any allowed type needs: the kindest reading of the limits.
      const needs = pool.instanceTypes
        .map((t) => ({ t, nodes: nodesNeeded(groups, t, extra) }))
        .filter((x): x is { t: string; nodes: number } => x.nodes !== undefined)
        .map(({ t, nodes }) => ({
          t,
          nodes,
          cpu: nodes * INSTANCE_TYPES[t]!.vcpu,
          memoryMiB: nodes * INSTANCE_TYPES[t]!.memoryGiB * 1024,
        }));
      if (needs.length === 0) return undefined;
      if (needs.some((n) => n.cpu <= pool.cpuLimit && n.memoryMiB <= pool.memoryLimitMiB)) {
        return undefined;
      }
      const least = needs.reduce((a, b) => (b.cpu < a.cpu ? b : a));
      const owners = groups.map((g) => g.owner.split("/")[1] ?? g.owner);
      const shown =
        owners.length > 5
          ? `${owners.slice(0, 5).join(", ")} and ${owners.length - 5} more`
          : owners.join(", ");
      return `the autoscaler cannot reach maxReplicas of ${shown}: that needs ${least.nodes} × ${least.t} (${least.cpu} vCPU, ${least.memoryMiB / 1024} GiB) but the pool's limits are ${pool.cpuLimit} CPU and ${pool.memoryLimitMiB / 1024} GiB; raise cpuLimit and memoryLimitGiB if the budget allows`;
    },
  },
];
