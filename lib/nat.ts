import { NatStrategy } from "../config/schema";

/** One private route table: the AZs whose private subnets use it and the NAT gateway it routes to. */
export interface PrivateRouteTableSpec {
  /** Logical name suffix, for example `private-0`, or `private` for the shared table. */
  readonly name: string;
  /** The AZ index of the NAT gateway that takes this table's internet traffic. */
  readonly natAzIndex: number;
  /** The AZ indexes of the private subnets associated with this table. */
  readonly subnetAzIndexes: readonly number[];
}

/** Where NAT gateways go and how private subnets route to them. */
export interface NatPlan {
  /** The AZ index of each NAT gateway; each sits in that AZ's public subnet. */
  readonly natAzIndexes: readonly number[];
  readonly privateRouteTables: readonly PrivateRouteTableSpec[];
}

/**
 * Plans NAT gateways and private route tables for `azCount` AZs.
 *
 * `single` puts one NAT gateway in the first AZ and shares one route table: about $33 a month
 * instead of $33 per AZ, but an outage of that AZ cuts every private subnet off the internet.
 * `perAz` gives each AZ its own gateway and route table, so AZs fail independently and no
 * traffic crosses AZs (which AWS bills at $0.01/GB each way) on its way out. `instance` is laid
 * out like `single`, with a NAT instance in the first AZ instead of a gateway.
 */
export function planNat(strategy: NatStrategy, azCount: number): NatPlan {
  const azs = Array.from({ length: azCount }, (_, i) => i);
  if (strategy === NatStrategy.Single || strategy === NatStrategy.Instance) {
    return {
      natAzIndexes: azCount > 0 ? [0] : [],
      privateRouteTables:
        azCount > 0 ? [{ name: "private", natAzIndex: 0, subnetAzIndexes: azs }] : [],
    };
  }
  return {
    natAzIndexes: azs,
    privateRouteTables: azs.map((az) => ({
      name: `private-${az}`,
      natAzIndex: az,
      subnetAzIndexes: [az],
    })),
  };
}
