import { Enforcement, PolicySubject, Rule, Severity, StackContext } from "./types";
import { field, linksTo, objects, ofType, opensToWorld, refersTo, strings } from "./util";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";
const NETWORK_INTERFACE = "aws:ec2/networkInterface:NetworkInterface";
const CLUSTER = "aws:eks/cluster:Cluster";

/** Ports that must never be open to the internet: SSH and RDP. */
export const ADMIN_PORTS = [22, 3389] as const;
/** The Kubernetes API port, checked on security groups attached to an EKS cluster. */
export const API_PORT = 443;

/** The subnet tag the AWS Load Balancer Controller reads: it marks our private subnets. */
export const PRIVATE_SUBNET_TAG = "kubernetes.io/role/internal-elb";

interface Ingress {
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly cidrs: string[];
}

function ingressesOf(r: PolicySubject): Ingress[] {
  if (r.type === SECURITY_GROUP) {
    return objects(field(r, "ingress")).map((i) => ({
      protocol: i.protocol,
      fromPort: i.fromPort,
      toPort: i.toPort,
      cidrs: [...strings(i.cidrBlocks), ...strings(i.ipv6CidrBlocks)],
    }));
  }
  if (r.type === SG_RULE && field(r, "type") !== "ingress") return [];
  const cidrs =
    r.type === SG_RULE
      ? [...strings(field(r, "cidrBlocks")), ...strings(field(r, "ipv6CidrBlocks"))]
      : strings([field(r, "cidrIpv4"), field(r, "cidrIpv6")]);
  return [
    {
      protocol: field(r, r.type === SG_RULE ? "protocol" : "ipProtocol"),
      fromPort: field(r, "fromPort"),
      toPort: field(r, "toPort"),
      cidrs,
    },
  ];
}

function covers(i: Ingress, port: number): boolean {
  if (i.protocol === "-1" || i.protocol === "all" || i.protocol === -1) return true;
  if (i.protocol !== "tcp" && i.protocol !== "6" && i.protocol !== 6) return false;
  const from = Number(i.fromPort);
  const to = Number(i.toPort);
  return from <= port && port <= to;
}

/** True when the rule's security group is the EKS API's: attached to, or made by, a cluster. */
function guardsApi(r: PolicySubject, { resources }: StackContext): boolean {
  const clusters = ofType(resources, CLUSTER);
  if (clusters.some((c) => refersTo(r, c))) return true;
  const groups =
    r.type === SECURITY_GROUP
      ? [r]
      : ofType(resources, SECURITY_GROUP).filter((g) => linksTo(r, g, "securityGroupId"));
  return groups.some((g) => clusters.some((c) => linksTo(c, g, "vpcConfig.securityGroupIds")));
}

/** The AZs a VPC's subnets span. */
function zonesOf(vpc: PolicySubject, resources: readonly PolicySubject[]): Set<string> {
  return new Set(
    ofType(resources, SUBNET)
      .filter((s) => linksTo(s, vpc, "vpcId"))
      .map((s) => field(s, "availabilityZone"))
      .filter((z): z is string => typeof z === "string"),
  );
}

/** Rules for the VPC and its security groups. */
export const networkRules: readonly Rule[] = [
  {
    id: "vpc-flow-logs",
    description: "Every VPC has flow logs, so traffic can be audited after an incident",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [VPC],
    scope: "stack",
    check(r, { resources }) {
      return ofType(resources, FLOW_LOG).some((f) => linksTo(f, r, "vpcId"))
        ? undefined
        : "no aws.ec2.FlowLog refers to this VPC";
    },
  },
  {
    id: "vpc-default-security-group-adopted",
    description:
      "Every VPC's default security group is adopted by a DefaultSecurityGroup resource, which strips its rules",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [VPC],
    scope: "stack",
    check(r, { resources }) {
      return ofType(resources, DEFAULT_SG).some((g) => linksTo(g, r, "vpcId"))
        ? undefined
        : "no aws.ec2.DefaultSecurityGroup adopts this VPC's default security group, which allows all traffic between its members";
    },
  },
  {
    id: "default-security-group-no-rules",
    description:
      "The default security group has no ingress or egress rule, so anything launched without a group gets no traffic",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [DEFAULT_SG],
    scope: "resource",
    check(r) {
      const n = objects(field(r, "ingress")).length + objects(field(r, "egress")).length;
      return n === 0 ? undefined : `it declares ${n} rule(s); declare none`;
    },
  },
  {
    id: "private-subnet-no-public-ip",
    description: `Private subnets (tagged ${PRIVATE_SUBNET_TAG}) never give instances a public IP`,
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [SUBNET],
    scope: "resource",
    check(r) {
      const tags = (field(r, "tags") ?? {}) as Record<string, unknown>;
      if (!(PRIVATE_SUBNET_TAG in tags)) return undefined;
      return field(r, "mapPublicIpOnLaunch") === true
        ? "mapPublicIpOnLaunch is true on a private subnet"
        : undefined;
    },
  },
  {
    id: "no-world-ingress-to-admin-ports",
    description: `No security group admits 0.0.0.0/0 or ::/0 to SSH (22) or RDP (3389), nor to the Kubernetes API (${API_PORT}) on a cluster's groups`,
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [SECURITY_GROUP, SG_RULE, SG_INGRESS_RULE],
    scope: "stack",
    check(r, context) {
      const ports = guardsApi(r, context) ? [...ADMIN_PORTS, API_PORT] : [...ADMIN_PORTS];
      const open = ingressesOf(r)
        .filter((i) => opensToWorld(i.cidrs))
        .flatMap((i) => ports.filter((p) => covers(i, p)));
      return open.length === 0
        ? undefined
        : `admits the whole internet to port(s) ${[...new Set(open)].join(", ")}`;
    },
  },
  {
    id: "nat-gateway-per-az",
    description:
      "Each AZ has its own NAT gateway: with a single one or a NAT instance, losing it cuts every private subnet off the internet (advisory: a cost trade-off dev makes with natStrategy single or instance)",
    severity: Severity.Low,
    enforcement: Enforcement.Advisory,
    resourceTypes: [VPC],
    scope: "stack",
    check(r, { resources }) {
      const zones = zonesOf(r, resources);
      const subnets = ofType(resources, SUBNET).filter((s) => linksTo(s, r, "vpcId"));
      const nats = ofType(resources, NAT_GATEWAY).filter((n) =>
        subnets.some((s) => linksTo(n, s, "subnetId")),
      );
      // A NAT instance forwards through an interface with the source/destination check off.
      const instances = ofType(resources, NETWORK_INTERFACE).filter(
        (n) => n.inputs.sourceDestCheck === false && subnets.some((s) => linksTo(n, s, "subnetId")),
      );
      if (instances.length > 0) {
        return `${instances.length} NAT instance(s) for ${zones.size} AZs: a single point of failure (its Auto Scaling group replaces it in minutes)`;
      }
      return nats.length === 0 || nats.length >= zones.size
        ? undefined
        : `${nats.length} NAT gateway(s) for ${zones.size} AZs: a single point of failure`;
    },
  },
];
