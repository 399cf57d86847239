import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS, NatStrategy } from "../config/schema";
import { assertValidArgs, shown } from "../lib/args";
import { parseCidr } from "../lib/cidr";
import { Protection, statefulOptions } from "../lib/protection";
import { SubnetSpec, SubnetTier, planSubnets, subnetPlanProblems } from "../lib/subnets";
import { withName } from "../lib/tags";
import { createEgress } from "./vpc-egress";
import { createEndpoints } from "./vpc-endpoints";
import { createFlowLogs } from "./vpc-flow-logs";

/** The VPC block sizes AWS accepts. */
export const VPC_PREFIX_RANGE = { min: 16, max: 28 } as const;

/** The arguments of {@link Vpc}. */
export interface VpcArgs {
  /** The VPC's IPv4 block, /16 to /28 (config `vpcCidr`). @default - none (required) */
  readonly cidrBlock: string;
  /** The AZs to span, already selected (`selectZones`), in order: subnet slots follow it. @default - none (required) */
  readonly availabilityZones: readonly string[];
  /** Prefix length of each public subnet: load balancers, NAT gateways (config `publicSubnetPrefix`). @default - none (required) */
  readonly publicSubnetPrefix: number;
  /** Prefix length of each private subnet: nodes and pods (config `privateSubnetPrefix`). @default - none (required) */
  readonly privateSubnetPrefix: number;
  /** One NAT gateway, one per AZ, or one NAT instance (config `natStrategy`). @default - none (required) */
  readonly natStrategy: NatStrategy;
  /** Days to keep flow log records, a CloudWatch Logs retention period. @default - none (required) */
  readonly flowLogRetentionDays: number;
  /** Add ECR, STS and CloudWatch Logs interface endpoints. @default false */
  readonly interfaceEndpoints?: boolean;
  /** The EKS cluster name, for the `kubernetes.io/cluster/<name>` subnet tag. @default - none (required) */
  readonly clusterName: string;
  /** Whether stateful children (VPC, subnets, log group) are protected. @default - none (required) */
  readonly protection: Protection;
  /** Tags for every taggable child, on top of which each gets a `Name`. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/** Every problem with a {@link VpcArgs}, one sentence each; empty when the args are valid. */
export function validateVpcArgs(args: VpcArgs): string[] {
  const problems: string[] = [];
  const cidr = parseCidr(args.cidrBlock);
  const zones = args.availabilityZones;
  if (typeof cidr === "string") {
    problems.push(`cidrBlock ${cidr}; got ${shown(args.cidrBlock)}`);
  } else if (cidr.prefix < VPC_PREFIX_RANGE.min || cidr.prefix > VPC_PREFIX_RANGE.max) {
    problems.push(
      `cidrBlock must be a /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max} block, the sizes AWS allows for a VPC; got ${shown(args.cidrBlock)}`,
    );
  }
  if (zones.length === 0) problems.push("availabilityZones must list at least one AZ; got []");
  if (new Set(zones).size !== zones.length) {
    problems.push(`availabilityZones must not repeat an AZ; got ${shown(zones)}`);
  }
  if (typeof cidr !== "string" && zones.length > 0) {
    const plan = {
      vpcCidr: args.cidrBlock,
      azCount: zones.length,
      publicPrefix: args.publicSubnetPrefix,
      privatePrefix: args.privateSubnetPrefix,
    };
    for (const p of subnetPlanProblems(plan)) problems.push(`the subnet plan does not fit: ${p}`);
  }
  if (!(Object.values(NatStrategy) as string[]).includes(args.natStrategy)) {
    problems.push(
      `natStrategy must be one of ${Object.values(NatStrategy).join(", ")}; got ${shown(args.natStrategy)}`,
    );
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.flowLogRetentionDays)) {
    problems.push(
      `flowLogRetentionDays must be a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(", ")}); got ${shown(args.flowLogRetentionDays)}`,
    );
  }
  if (!CLUSTER_NAME.test(args.clusterName)) {
    problems.push(
      `clusterName must be an EKS cluster name (1-100 letters, digits, '-' or '_', starting with a letter or digit); got ${shown(args.clusterName)}`,
    );
  }
  return problems;
}

/**
 * A VPC for an EKS cluster, from `@pulumi/aws` primitives so every subnet, route and NAT
 * gateway is visible to previews, tests and the cost model (awsx v3 components are remote).
 *
 * One public and one private subnet per AZ from {@link planSubnets}; NAT gateways per
 * {@link planNat}; flow logs to CloudWatch; the default security group emptied; an S3 gateway
 * endpoint, and interface endpoints when asked.
 */
export class Vpc extends pulumi.ComponentResource {
  /** The VPC id. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's IPv4 block. */
  public readonly cidrBlock: string;
  /** The AZs spanned, in subnet order. */
  public readonly availabilityZones: string[];
  /** The subnet plan, in AZ order, public then private per AZ. */
  public readonly subnetPlan: readonly SubnetSpec[];
  /** Public subnet ids, in AZ order: internet-facing load balancers. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Private subnet ids, in AZ order: nodes, pods and internal load balancers. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** The public route table id. */
  public readonly publicRouteTableId: pulumi.Output<string>;
  /** Private route table ids: one with a single NAT gateway, else one per AZ in AZ order. */
  public readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** NAT gateway ids, in AZ order. */
  public readonly natGatewayIds: pulumi.Output<string[]>;
  /** The NAT gateways' public IPs: what third parties see and may allow-list. */
  public readonly natPublicIps: pulumi.Output<string[]>;
  /** The flow log group's name. */
  public readonly flowLogGroupName: pulumi.Output<string>;
  /**
   * The egress path: internet gateway, public and private default routes, their route-table
   * associations and the NAT gateways. Everything that calls AWS from inside the VPC (node
   * groups, controllers, add-ons, load-balanced Services) lists it in `dependsOn`, so `up`
   * creates it first and `destroy` removes it last, after the controllers have cleaned up.
   */
  public readonly egress: readonly pulumi.Resource[];

  constructor(name: string, args: VpcArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("Vpc", validateVpcArgs(args));
    super("platform:network:Vpc", name, {}, opts);
    const parent = { parent: this };
    const tags = { ...args.tags };
    const zones = [...args.availabilityZones];
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

    const vpc = new aws.ec2.Vpc(
      name,
      {
        cidrBlock: args.cidrBlock,
        // Both are required for private DNS on interface endpoints and for EKS nodes to join.
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: withName(tags, name),
      },
      statefulOptions(args.protection, parent),
    );

    const plan = planSubnets({
      vpcCidr: args.cidrBlock,
      azCount: zones.length,
      publicPrefix: args.publicSubnetPrefix,
      privatePrefix: args.privateSubnetPrefix,
    });
    const subnet = (spec: SubnetSpec) => {
      const isPublic = spec.tier === SubnetTier.Public;
      const subnetName = `${name}-${spec.name}`;
      return new aws.ec2.Subnet(
        subnetName,
        {
          vpcId: vpc.id,
          availabilityZone: zones[spec.azIndex],
          cidrBlock: spec.cidr,
          mapPublicIpOnLaunch: false,
          tags: {
            ...withName(tags, subnetName),
            ...clusterTag,
            // Where the AWS Load Balancer Controller places internet-facing and internal LBs.
            [isPublic ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
            // Where Karpenter's EC2NodeClass launches nodes: private subnets only.
            ...(isPublic ? {} : { "karpenter.sh/discovery": args.clusterName }),
          },
        },
        statefulOptions(args.protection, parent),
      );
    };
    const publicSubnets = plan.filter((s) => s.tier === SubnetTier.Public).map(subnet);
    const privateSubnets = plan.filter((s) => s.tier === SubnetTier.Private).map(subnet);

    const { publicRouteTable, privateRouteTables, natGateways, eips, egress } = createEgress(
      name,
      {
        vpcId: vpc.id,
        vpcCidr: args.cidrBlock,
        natStrategy: args.natStrategy,
        publicSubnets,
        privateSubnets,
        tags,
      },
      this,
    );

    // Emptied, as terraform-aws-vpc does: anything launched without a security group gets
    // no traffic at all instead of the default "all traffic from members" rule.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default`,
      { vpcId: vpc.id, tags: withName(tags, `${name}-default`) },
      parent,
    );

    const flowLogs = createFlowLogs(
      `${name}-flow-logs`,
      {
        vpcId: vpc.id,
        retentionDays: args.flowLogRetentionDays,
        protection: args.protection,
        tags,
      },
      this,
    );
    createEndpoints(
      name,
      {
        vpcId: vpc.id,
        cidrBlock: args.cidrBlock,
        routeTableIds: [publicRouteTable.id, ...privateRouteTables.map((t) => t.id)],
        privateSubnetIds: privateSubnets.map((s) => s.id),
        interfaceEndpoints: args.interfaceEndpoints ?? false,
        tags,
      },
      this,
    );

    this.vpcId = vpc.id;
    this.cidrBlock = args.cidrBlock;
    this.availabilityZones = zones;
    this.subnetPlan = plan;
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.publicRouteTableId = publicRouteTable.id;
    this.privateRouteTableIds = pulumi.all(privateRouteTables.map((t) => t.id));
    this.natGatewayIds = pulumi.all(natGateways.map((g) => g.id));
    this.natPublicIps = pulumi.all(eips.map((e) => e.publicIp));
    this.flowLogGroupName = flowLogs.logGroup.name;
    this.egress = egress;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      privateRouteTableIds: this.privateRouteTableIds,
      natPublicIps: this.natPublicIps,
    });
  }
}
