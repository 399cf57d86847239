import { Cidr, blockSize, contains, formatCidr, parseCidr } from "./cidr";

/** The subnet tiers of the VPC. */
export const SubnetTier = { Public: "public", Private: "private" } as const;
/** A subnet tier: `public` (load balancers, NAT gateways) or `private` (nodes and pods). */
export type SubnetTier = (typeof SubnetTier)[keyof typeof SubnetTier];

/** What the planner needs: the VPC block, how many AZs and the prefix length of each tier. */
export interface SubnetPlanArgs {
  /** The VPC CIDR block, for example `10.0.0.0/16`. */
  readonly vpcCidr: string;
  /** How many availability zones to plan for. */
  readonly azCount: number;
  /** Prefix length of each public subnet, for example 24 for 256 addresses. */
  readonly publicPrefix: number;
  /** Prefix length of each private subnet, for example 19 for 8,192 addresses. */
  readonly privatePrefix: number;
}

/** One planned subnet. */
export interface SubnetSpec {
  /** Index of the availability zone, 0-based, in the order the region lists them. */
  readonly azIndex: number;
  /** Which tier the subnet belongs to. */
  readonly tier: SubnetTier;
  /** The subnet's CIDR block, for example `10.0.32.0/19`. */
  readonly cidr: string;
  /** Logical name suffix, for example `private-0`. */
  readonly name: string;
}

/**
 * Plans one public and one private subnet per AZ.
 *
 * Private subnets are packed from the start of the VPC block and public subnets from its end,
 * each at a slot given by its AZ index alone. Adding an AZ therefore only adds subnets: the
 * existing ones keep their CIDRs, and a subnet CIDR change would replace the subnet and
 * everything in it. Throws when the plan does not fit; {@link subnetPlanProblems} says why.
 */
export function planSubnets(args: SubnetPlanArgs): SubnetSpec[] {
  const problems = subnetPlanProblems(args);
  if (problems.length > 0) throw new Error(problems.join("; "));
  const vpc = parseCidr(args.vpcCidr) as Cidr;
  const vpcEnd = vpc.base + blockSize(vpc.prefix);
  const publicSize = blockSize(args.publicPrefix);
  const privateSize = blockSize(args.privatePrefix);
  const specs: SubnetSpec[] = [];
  for (let az = 0; az < args.azCount; az++) {
    const pub: Cidr = { base: vpcEnd - publicSize * BigInt(az + 1), prefix: args.publicPrefix };
    const priv: Cidr = { base: vpc.base + privateSize * BigInt(az), prefix: args.privatePrefix };
    specs.push({
      azIndex: az,
      tier: SubnetTier.Public,
      cidr: formatCidr(pub),
      name: `public-${az}`,
    });
    specs.push({
      azIndex: az,
      tier: SubnetTier.Private,
      cidr: formatCidr(priv),
      name: `private-${az}`,
    });
  }
  return specs;
}

/** Why a plan cannot be made, one sentence per problem; empty when it fits. */
export function subnetPlanProblems(args: SubnetPlanArgs): string[] {
  const vpc = parseCidr(args.vpcCidr);
  if (typeof vpc === "string") return [`the VPC CIDR ${vpc}`];
  const problems: string[] = [];
  if (!Number.isInteger(args.azCount) || args.azCount < 1) {
    problems.push(`the AZ count must be a whole number of at least 1; got ${args.azCount}`);
  }
  for (const [label, prefix] of [
    ["public", args.publicPrefix],
    ["private", args.privatePrefix],
  ] as const) {
    if (!Number.isInteger(prefix) || prefix <= vpc.prefix || prefix > 28) {
      problems.push(
        `a ${label} subnet prefix must be longer than the VPC's /${vpc.prefix} and at most /28; got /${prefix}`,
      );
    }
  }
  if (problems.length > 0) return problems;
  const needed =
    BigInt(args.azCount) * (blockSize(args.publicPrefix) + blockSize(args.privatePrefix));
  const available = blockSize(vpc.prefix);
  if (needed > available) {
    problems.push(
      `${args.azCount} AZs of one /${args.publicPrefix} public and one /${args.privatePrefix} private subnet need ${needed} addresses but ${args.vpcCidr} has ${available}; use a larger VPC or smaller subnets`,
    );
  }
  return problems;
}

/** True when every spec lies inside the VPC block (used by tests and policy). */
export function insideVpc(vpcCidr: string, spec: SubnetSpec): boolean {
  return contains(parseCidr(vpcCidr) as Cidr, parseCidr(spec.cidr) as Cidr);
}
