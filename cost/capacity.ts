import { Packing, cheapestPacking } from "../lib/capacity";
import { NODE_ROOT_VOLUME_GIB } from "../lib/karpenter";
import { RecordedPool, podsOn, poolsOf, workloadsOf } from "../lib/scheduled-pods";
import type { CostedResource, Line, Pricer, PricingContext } from "./model";

/**
 * The capacity Karpenter would launch for the workload, priced: every Deployment's requests at
 * its autoscaler's minReplicas, packed with the per-node overhead onto the cheapest instance
 * type each NodePool allows, at the spot discount where the pool allows spot (Karpenter prefers
 * it); maxReplicas is the second figure, in the notes.
 */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The hourly price of a type in a pool: the spot discount applies when the pool allows spot. */
function hourlyIn(pool: RecordedPool, ctx: PricingContext) {
  return (type: string) => priceOf(type, ctx, pool.name) * (pool.spot ? 1 - ctx.spotDiscount : 1);
}

// As cost/pricers.ts instancePrice (which imports this module, so it is not imported back).
function priceOf(type: string, ctx: PricingContext, pool: string): number {
  const price = ctx.prices.ec2PerHour[type];
  if (price === undefined) {
    throw new Error(
      `no ${ctx.prices.region} price for instance type ${JSON.stringify(type)} (NodePool ${pool}). Add it to cost/prices.ts`,
    );
  }
  return price;
}

/** A pool's packing at min or max replicas; undefined when it runs no pods or none fit. */
export function poolPacking(
  pool: RecordedPool,
  resources: readonly CostedResource[],
  ctx: PricingContext,
  at: "minReplicas" | "maxReplicas",
): { packing: Packing | undefined; pods: number; owners: number } {
  const pools = poolsOf(resources);
  const groups = podsOn(pool, workloadsOf(resources), pools, at).filter((g) => g.count > 0);
  const pods = groups.reduce((n, g) => n + g.count, 0);
  if (pods === 0) return { packing: undefined, pods, owners: 0 };
  // Only the types that can hold every pod compete; the policy reports pods that fit none.
  const packing = cheapestPacking(groups, pool.instanceTypes, hourlyIn(pool, ctx));
  return { packing, pods, owners: groups.length };
}

const nodePool: Pricer = (r, ctx) => {
  const pool = poolsOf([r])[0]!;
  const { packing, pods, owners } = poolPacking(pool, ctx.resources, ctx, "minReplicas");
  if (!packing) {
    return [
      {
        description:
          pods === 0
            ? "no pods scheduled here: Karpenter launches no node"
            : `${plural(pods, "pod")} of ${plural(owners, "workload")} fit no instance type the pool allows (see the policy findings)`,
        unitPrice: 0,
        quantity: 0,
        unit: "instance-hour",
      },
    ];
  }
  const lines: Line[] = [
    {
      description: `${packing.nodes} × ${packing.instanceType} ${pool.spot ? `spot, ${Math.round(ctx.spotDiscount * 100)}% off on-demand` : "on-demand"}: ${plural(pods, "pod")} of ${plural(owners, "workload")} at minReplicas, the cheapest packing of ${pool.instanceTypes.length} allowed types`,
      unitPrice: packing.hourlyPerNode,
      quantity: packing.nodes * ctx.hours,
      unit: "instance-hour",
    },
    {
      description: `${packing.nodes} × ${NODE_ROOT_VOLUME_GIB} GiB gp3 root volume`,
      unitPrice: ctx.prices.ebsPerGbMonth.gp3,
      quantity: packing.nodes * NODE_ROOT_VOLUME_GIB,
      unit: "GB-month",
    },
  ];
  return lines;
};

/** The NodePool pricer, by type token. */
export const CAPACITY_PRICERS: Readonly<Record<string, Pricer>> = {
  "kubernetes:karpenter.sh/v1:NodePool": nodePool,
};

/** How each pool was packed, at minReplicas and at maxReplicas, one sentence each. */
export function capacityNotes(ctx: PricingContext): string[] {
  const pools = poolsOf(ctx.resources);
  if (pools.length === 0) return [];
  const notes = pools.map((pool) => {
    const describe = (at: "minReplicas" | "maxReplicas") => {
      const { packing, pods } = poolPacking(pool, ctx.resources, ctx, at);
      if (!packing) return `${plural(pods, "pod")}, no node`;
      const monthly = packing.nodes * packing.hourlyPerNode * ctx.hours;
      return `${plural(pods, "pod")} on ${packing.nodes} × ${packing.instanceType} ($${monthly.toFixed(2)}/month)`;
    };
    return `NodePool ${pool.name} (${pool.instanceTypes.join(", ")}${pool.spot ? "; spot" : ""}): at minReplicas ${describe("minReplicas")}; at maxReplicas ${describe("maxReplicas")}.`;
  });
  return [
    ...notes,
    "Capacity packs each Deployment's requests first-fit onto one instance type per NodePool, after kube-reserved (EKS AMI formula), 7.5% VM memory overhead, a 100 MiB eviction threshold and about 200m/350 MiB of DaemonSets per node; Helm chart pods (observability) are not counted.",
  ];
}
