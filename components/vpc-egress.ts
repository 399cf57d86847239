import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NatStrategy } from "../config/schema";
import { planNat } from "../lib/nat";
import { withName } from "../lib/tags";
import { createNatInstance } from "./vpc-nat-instance";

/** What {@link createEgress} made. */
export interface Egress {
  readonly publicRouteTable: aws.ec2.RouteTable;
  /** One with a single NAT gateway, else one per AZ, in AZ order. */
  readonly privateRouteTables: aws.ec2.RouteTable[];
  /** In AZ order. */
  readonly natGateways: aws.ec2.NatGateway[];
  readonly eips: aws.ec2.Eip[];
  /**
   * Everything a packet from a node or pod needs to leave the VPC: the internet gateway, the
   * default routes, every route-table association and the NAT gateways.
   */
  readonly egress: pulumi.Resource[];
}

/**
 * The way out of a VPC: an internet gateway and the public route table, NAT gateways placed by
 * {@link planNat} (or, for the `instance` strategy, one NAT instance), and the private route
 * tables that send 0.0.0.0/0 through them.
 */
export function createEgress(
  name: string,
  spec: {
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's block: the NAT instance admits traffic from it only. */
    readonly vpcCidr: string;
    readonly natStrategy: NatStrategy;
    readonly publicSubnets: readonly aws.ec2.Subnet[];
    readonly privateSubnets: readonly aws.ec2.Subnet[];
    readonly tags: Readonly<Record<string, string>>;
  },
  component: pulumi.Resource,
): Egress {
  const parent = { parent: component };
  // Free, and needed by the public subnets and the NAT gateways behind them.
  const igw = new aws.ec2.InternetGateway(
    `${name}-igw`,
    { vpcId: spec.vpcId, tags: withName(spec.tags, `${name}-igw`) },
    parent,
  );
  const publicRouteTable = new aws.ec2.RouteTable(
    `${name}-public`,
    { vpcId: spec.vpcId, tags: withName(spec.tags, `${name}-public`) },
    parent,
  );
  // Everything a packet from a node or pod needs to leave the VPC; see `egress` below.
  const egress: pulumi.Resource[] = [igw];
  egress.push(
    new aws.ec2.Route(
      `${name}-public-internet`,
      { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      parent,
    ),
  );
  spec.publicSubnets.forEach((s, az) =>
    egress.push(
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${az}`,
        { subnetId: s.id, routeTableId: publicRouteTable.id },
        parent,
      ),
    ),
  );

  const nat = planNat(spec.natStrategy, spec.privateSubnets.length);
  const natGateways = new Map<number, aws.ec2.NatGateway>();
  const eips: aws.ec2.Eip[] = [];
  // The `instance` strategy: private routes point at the NAT instance's fixed interface.
  const natInstance =
    spec.natStrategy === NatStrategy.Instance
      ? createNatInstance(
          `${name}-nat-instance`,
          {
            vpcId: spec.vpcId,
            vpcCidr: spec.vpcCidr,
            subnet: spec.publicSubnets[0]!,
            igw,
            tags: spec.tags,
          },
          component,
        )
      : undefined;
  if (natInstance) {
    eips.push(natInstance.eip);
    egress.push(natInstance.networkInterface, natInstance.eip, natInstance.group);
  }
  for (const az of natInstance ? [] : nat.natAzIndexes) {
    const eip = new aws.ec2.Eip(
      `${name}-nat-${az}`,
      { domain: "vpc", tags: withName(spec.tags, `${name}-nat-${az}`) },
      { ...parent, dependsOn: [igw] },
    );
    eips.push(eip);
    natGateways.set(
      az,
      new aws.ec2.NatGateway(
        `${name}-nat-${az}`,
        {
          subnetId: spec.publicSubnets[az]!.id,
          allocationId: eip.id,
          connectivityType: "public",
          tags: withName(spec.tags, `${name}-nat-${az}`),
        },
        { ...parent, dependsOn: [igw] },
      ),
    );
  }
  const privateRouteTables = nat.privateRouteTables.map((rt) => {
    const table = new aws.ec2.RouteTable(
      `${name}-${rt.name}`,
      { vpcId: spec.vpcId, tags: withName(spec.tags, `${name}-${rt.name}`) },
      parent,
    );
    const route = new aws.ec2.Route(
      `${name}-${rt.name}-internet`,
      {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        ...(natInstance
          ? { networkInterfaceId: natInstance.networkInterface.id }
          : { natGatewayId: natGateways.get(rt.natAzIndex)!.id }),
      },
      parent,
    );
    egress.push(route);
    for (const az of rt.subnetAzIndexes) {
      egress.push(
        new aws.ec2.RouteTableAssociation(
          `${name}-private-${az}`,
          { subnetId: spec.privateSubnets[az]!.id, routeTableId: table.id },
          parent,
        ),
      );
    }
    return table;
  });

  return {
    publicRouteTable,
    privateRouteTables,
    natGateways: [...natGateways.values()],
    eips,
    egress: [...egress, ...natGateways.values()],
  };
}
