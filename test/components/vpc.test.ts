import type { Vpc, VpcArgs } from "../../components/vpc";
import { RecordedResource, childrenOf, findResource, ofType, useMocks, valueOf } from "../harness";

// Both stacks' network settings (Pulumi.dev.yaml, Pulumi.prod.yaml and the schema defaults),
// built in one Pulumi runtime.
const DEV: VpcArgs = {
  cidrBlock: "10.0.0.0/16",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  publicSubnetPrefix: 24,
  privateSubnetPrefix: 19,
  natStrategy: "single",
  flowLogRetentionDays: 14,
  interfaceEndpoints: false,
  clusterName: "platform-dev",
  protection: { protect: false },
  tags: { "pulumi:stack": "dev" },
};
const PROD: VpcArgs = {
  ...DEV,
  cidrBlock: "10.20.0.0/16",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  natStrategy: "perAz",
  flowLogRetentionDays: 90,
  interfaceEndpoints: true,
  clusterName: "platform-prod",
  protection: { protect: true },
  tags: { "pulumi:stack": "prod" },
};

let resources: RecordedResource[];
let done: () => Promise<void>;
let vpcs: Record<"dev" | "prod" | "instance", Vpc>;

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const { Vpc } = await import("../../components/vpc");
  vpcs = {
    dev: new Vpc("dev", DEV),
    prod: new Vpc("prod", PROD),
    instance: new Vpc("nati", { ...DEV, natStrategy: "instance" }),
  };
  await Promise.all(
    Object.values(vpcs).flatMap((v) => [valueOf(v.natPublicIps), valueOf(v.privateSubnetIds)]),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(() => done());

/** The resources of one stack's VPC component, of one type. */
function of(stack: "dev" | "prod", type: string): RecordedResource[] {
  const component = findResource(resources, "platform:network:Vpc", stack);
  return ofType(childrenOf(resources, component), type);
}
const SUBNET = "aws:ec2/subnet:Subnet";
const tier = (stack: "dev" | "prod", t: "public" | "private") =>
  of(stack, SUBNET).filter((s) => s.name.startsWith(`${stack}-${t}-`));
const policyOf = (r: RecordedResource, key: string) =>
  JSON.parse(r.inputs[key] as string) as {
    Statement: { Action: string | string[]; Resource?: string[]; Condition?: unknown }[];
  };

describe.each([
  { stack: "dev" as const, args: DEV, azs: 2 },
  { stack: "prod" as const, args: PROD, azs: 3 },
])("the $stack VPC", ({ stack, args, azs }) => {
  it("is a DNS-enabled VPC with the configured block", () => {
    const [vpc] = of(stack, "aws:ec2/vpc:Vpc");
    expect(vpc?.inputs).toMatchObject({
      cidrBlock: args.cidrBlock,
      enableDnsSupport: true,
      enableDnsHostnames: true,
    });
  });

  it("has one public and one private subnet per AZ, in AZ order", async () => {
    expect(tier(stack, "public").map((s) => s.inputs.availabilityZone)).toEqual(
      args.availabilityZones,
    );
    expect(tier(stack, "private").map((s) => s.inputs.availabilityZone)).toEqual(
      args.availabilityZones,
    );
    expect(await valueOf(vpcs[stack].publicSubnetIds)).toEqual(
      tier(stack, "public").map((s) => `${s.name}-id`),
    );
    expect(await valueOf(vpcs[stack].privateSubnetIds)).toEqual(
      tier(stack, "private").map((s) => `${s.name}-id`),
    );
    expect(vpcs[stack].availabilityZones).toEqual(args.availabilityZones);
  });

  it("takes subnet CIDRs from the plan, inside the VPC block", () => {
    const prefix = args.cidrBlock.split(".").slice(0, 2).join(".");
    expect(tier(stack, "private").map((s) => s.inputs.cidrBlock)).toEqual(
      ["0.0/19", "32.0/19", "64.0/19"].slice(0, azs).map((c) => `${prefix}.${c}`),
    );
    expect(tier(stack, "public").map((s) => s.inputs.cidrBlock)).toEqual(
      ["255.0/24", "254.0/24", "253.0/24"].slice(0, azs).map((c) => `${prefix}.${c}`),
    );
  });

  it("gives no instance in any subnet a public IP on launch", () => {
    for (const s of of(stack, SUBNET)) expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
  });

  it("tags subnets for the AWS Load Balancer Controller and the cluster", () => {
    const cluster = `kubernetes.io/cluster/${args.clusterName}`;
    for (const s of tier(stack, "public")) {
      expect(s.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1", [cluster]: "shared" });
      expect(s.inputs.tags).not.toHaveProperty("kubernetes.io/role/internal-elb");
    }
    for (const s of tier(stack, "private")) {
      expect(s.inputs.tags).toMatchObject({
        "kubernetes.io/role/internal-elb": "1",
        [cluster]: "shared",
      });
      expect(s.inputs.tags).not.toHaveProperty("kubernetes.io/role/elb");
    }
  });

  it("routes the public subnets to an internet gateway", () => {
    const [igw] = of(stack, "aws:ec2/internetGateway:InternetGateway");
    const route = findResource(resources, "aws:ec2/route:Route", `${stack}-public-internet`);
    expect(route.inputs).toMatchObject({
      routeTableId: `${stack}-public-id`,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: `${igw?.name}-id`,
    });
    const associations = of(stack, "aws:ec2/routeTableAssociation:RouteTableAssociation");
    for (const s of tier(stack, "public")) {
      expect(associations.find((a) => a.inputs.subnetId === `${s.name}-id`)?.inputs).toEqual({
        subnetId: `${s.name}-id`,
        routeTableId: `${stack}-public-id`,
      });
    }
  });

  it("locks down the default security group: no ingress, no egress", () => {
    const [sg] = of(stack, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(sg?.inputs.vpcId).toBe(`${stack}-id`);
    expect(sg?.inputs.ingress ?? []).toEqual([]);
    expect(sg?.inputs.egress ?? []).toEqual([]);
  });

  it("sends all traffic to flow logs kept for the configured retention", () => {
    const [group] = of(stack, "aws:cloudwatch/logGroup:LogGroup");
    const [flowLog] = of(stack, "aws:ec2/flowLog:FlowLog");
    const [role] = of(stack, "aws:iam/role:Role");
    expect(group?.inputs.retentionInDays).toBe(args.flowLogRetentionDays);
    expect(flowLog?.inputs).toMatchObject({
      vpcId: `${stack}-id`,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: `arn:aws:logs:us-east-1:123456789012:log-group:${group?.name}`,
      iamRoleArn: `arn:aws:iam:us-east-1:123456789012:${role?.name}`,
    });
  });

  it("lets the flow logs role write to its own log group only", () => {
    const [group] = of(stack, "aws:cloudwatch/logGroup:LogGroup");
    const [policy] = of(stack, "aws:iam/rolePolicy:RolePolicy");
    const arn = `arn:aws:logs:us-east-1:123456789012:log-group:${group?.name}`;
    const statements = policyOf(policy!, "policy").Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Resource).toEqual([arn, `${arn}:*`]);
    expect(statements[0]?.Action).toContain("logs:PutLogEvents");
    expect(JSON.stringify(statements)).not.toContain('"*"');
  });

  it("lets only this account's flow logs assume the role", () => {
    const [role] = of(stack, "aws:iam/role:Role");
    const [statement] = policyOf(role!, "assumeRolePolicy").Statement;
    expect(statement).toMatchObject({
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
      },
    });
  });

  it("keeps S3 traffic (ECR image layers) off the NAT gateway with a gateway endpoint", async () => {
    const s3 = findResource(resources, "aws:ec2/vpcEndpoint:VpcEndpoint", `${stack}-s3`);
    expect(s3.inputs).toMatchObject({
      vpcId: `${stack}-id`,
      serviceName: "com.amazonaws.us-east-1.s3",
      vpcEndpointType: "Gateway",
    });
    const privateTables = await valueOf(vpcs[stack].privateRouteTableIds);
    expect(s3.inputs.routeTableIds).toEqual([`${stack}-public-id`, ...privateTables]);
  });

  it("tags every taggable resource with the shared tags and a Name", () => {
    const tagged = childrenOf(
      resources,
      findResource(resources, "platform:network:Vpc", stack),
    ).filter((r) => r.inputs.tags !== undefined);
    expect(tagged.length).toBeGreaterThan(10);
    for (const r of tagged) {
      expect(r.inputs.tags).toMatchObject({ ...args.tags, Name: expect.any(String) });
    }
  });
});

describe("NAT strategies", () => {
  it("dev (single): one NAT gateway with an EIP in the first public subnet", () => {
    const gateways = of("dev", "aws:ec2/natGateway:NatGateway");
    expect(gateways).toHaveLength(1);
    expect(gateways[0]?.inputs).toMatchObject({
      subnetId: "dev-public-0-id",
      allocationId: "dev-nat-0-id",
      connectivityType: "public",
    });
    expect(of("dev", "aws:ec2/eip:Eip").map((e) => e.inputs.domain)).toEqual(["vpc"]);
  });

  it("dev (single): one private route table for every private subnet, through that gateway", async () => {
    expect(await valueOf(vpcs.dev.privateRouteTableIds)).toEqual(["dev-private-id"]);
    const route = findResource(resources, "aws:ec2/route:Route", "dev-private-internet");
    expect(route.inputs).toMatchObject({
      routeTableId: "dev-private-id",
      destinationCidrBlock: "0.0.0.0/0",
      natGatewayId: "dev-nat-0-id",
    });
    const associations = of("dev", "aws:ec2/routeTableAssociation:RouteTableAssociation");
    for (const s of tier("dev", "private")) {
      expect(associations.find((a) => a.inputs.subnetId === `${s.name}-id`)?.inputs).toEqual({
        subnetId: `${s.name}-id`,
        routeTableId: "dev-private-id",
      });
    }
  });

  it("prod (perAz): a NAT gateway and EIP in each AZ's public subnet", async () => {
    const gateways = of("prod", "aws:ec2/natGateway:NatGateway");
    expect(gateways.map((g) => g.inputs.subnetId)).toEqual([
      "prod-public-0-id",
      "prod-public-1-id",
      "prod-public-2-id",
    ]);
    expect(of("prod", "aws:ec2/eip:Eip")).toHaveLength(3);
    expect(await valueOf(vpcs.prod.natPublicIps)).toHaveLength(3);
  });

  it("prod (perAz): each AZ's private subnet routes through the NAT gateway in its own AZ", async () => {
    expect(await valueOf(vpcs.prod.privateRouteTableIds)).toEqual([
      "prod-private-0-id",
      "prod-private-1-id",
      "prod-private-2-id",
    ]);
    const associations = of("prod", "aws:ec2/routeTableAssociation:RouteTableAssociation");
    for (const az of [0, 1, 2]) {
      const route = findResource(resources, "aws:ec2/route:Route", `prod-private-${az}-internet`);
      expect(route.inputs).toMatchObject({
        routeTableId: `prod-private-${az}-id`,
        natGatewayId: `prod-nat-${az}-id`,
      });
      expect(
        associations.find((a) => a.inputs.subnetId === `prod-private-${az}-id`)?.inputs,
      ).toEqual({ subnetId: `prod-private-${az}-id`, routeTableId: `prod-private-${az}-id` });
    }
  });
});

describe("interface endpoints", () => {
  const INTERFACE = "aws:ec2/vpcEndpoint:VpcEndpoint";

  it("are not created unless asked (dev)", () => {
    expect(of("dev", INTERFACE).map((e) => e.inputs.vpcEndpointType)).toEqual(["Gateway"]);
    expect(of("dev", "aws:ec2/securityGroup:SecurityGroup")).toEqual([]);
  });

  it("when asked (prod): ECR API and registry, STS and Logs, with private DNS in every private subnet", () => {
    const interfaces = of("prod", INTERFACE).filter(
      (e) => e.inputs.vpcEndpointType === "Interface",
    );
    expect(interfaces.map((e) => e.inputs.serviceName).sort()).toEqual([
      "com.amazonaws.us-east-1.ecr.api",
      "com.amazonaws.us-east-1.ecr.dkr",
      "com.amazonaws.us-east-1.logs",
      "com.amazonaws.us-east-1.sts",
    ]);
    const [sg] = of("prod", "aws:ec2/securityGroup:SecurityGroup");
    for (const e of interfaces) {
      expect(e.inputs).toMatchObject({
        privateDnsEnabled: true,
        subnetIds: ["prod-private-0-id", "prod-private-1-id", "prod-private-2-id"],
        securityGroupIds: [`${sg?.name}-id`],
      });
    }
  });

  it("accept HTTPS from inside the VPC and nothing else", () => {
    const [sg] = of("prod", "aws:ec2/securityGroup:SecurityGroup");
    expect(sg?.inputs.ingress ?? []).toEqual([]);
    const rules = of("prod", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        securityGroupId: `${sg?.name}-id`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "10.20.0.0/16",
      }),
    ]);
  });
});

describe("protection", () => {
  const STATEFUL = ["aws:ec2/vpc:Vpc", SUBNET, "aws:cloudwatch/logGroup:LogGroup"];

  it("protects the VPC, its subnets and the flow log group when protection is on (prod)", () => {
    const stateful = STATEFUL.flatMap((t) => of("prod", t));
    expect(stateful).toHaveLength(1 + 6 + 1);
    for (const r of stateful)
      expect({ name: r.name, protect: r.options.protect }).toEqual({
        name: r.name,
        protect: true,
      });
  });

  it("leaves everything unprotected when protection is off (dev)", () => {
    const component = findResource(resources, "platform:network:Vpc", "dev");
    for (const r of childrenOf(resources, component)) expect(r.options.protect).toBe(false);
  });

  it("never protects replaceable plumbing (gateways, routes, endpoints)", () => {
    const component = findResource(resources, "platform:network:Vpc", "prod");
    const plumbing = childrenOf(resources, component).filter((r) => !STATEFUL.includes(r.type));
    expect(plumbing.length).toBeGreaterThan(20);
    for (const r of plumbing) expect(r.options.protect).toBe(false);
  });
});

describe("the NAT instance strategy", () => {
  const component = () => findResource(resources, "platform:network:Vpc", "nati");
  const kids = (type: string) => ofType(childrenOf(resources, component()), type);
  const one = (type: string) => {
    const found = kids(type);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it("runs no NAT gateway, but one NAT instance in an Auto Scaling group of exactly one", () => {
    expect(kids("aws:ec2/natGateway:NatGateway")).toEqual([]);
    expect(one("aws:autoscaling/group:Group").inputs).toMatchObject({
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      availabilityZones: ["us-east-1a"],
    });
  });

  it("gives the instance a fixed interface with the Elastic IP and no source/destination check", () => {
    const eni = one("aws:ec2/networkInterface:NetworkInterface");
    expect(eni.inputs.sourceDestCheck).toBe(false);
    const eip = one("aws:ec2/eip:Eip");
    expect(eip.inputs).toMatchObject({ domain: "vpc", networkInterface: `${eni.name}-id` });
    const template = one("aws:ec2/launchTemplate:LaunchTemplate");
    expect(template.inputs.networkInterfaces).toEqual([
      { deviceIndex: 0, networkInterfaceId: `${eni.name}-id`, deleteOnTermination: "false" },
    ]);
  });

  it("points every private default route at that interface, so a replacement changes no route", () => {
    const eni = one("aws:ec2/networkInterface:NetworkInterface");
    const routes = kids("aws:ec2/route:Route").filter((r) => r.name.includes("private"));
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.inputs).toMatchObject({
        destinationCidrBlock: "0.0.0.0/0",
        networkInterfaceId: `${eni.name}-id`,
      });
      expect(route.inputs.natGatewayId).toBeUndefined();
    }
  });

  it("boots hardened: AL2023 arm64 from the SSM parameter, IMDSv2 hop 1, encrypted gp3 root, forwarding and masquerade", () => {
    const template = one("aws:ec2/launchTemplate:LaunchTemplate");
    expect(template.inputs).toMatchObject({
      imageId: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      instanceType: "t4g.nano",
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ ebs: { encrypted: "true", volumeType: "gp3" } }],
    });
    const script = Buffer.from(template.inputs.userData as string, "base64").toString();
    expect(script).toContain("net.ipv4.ip_forward = 1");
    expect(script).toContain("-j MASQUERADE");
  });

  it("admits traffic from the VPC's range only", () => {
    const group = one("aws:ec2/securityGroup:SecurityGroup");
    expect(group.inputs.ingress).toEqual([
      expect.objectContaining({ protocol: "-1", cidrBlocks: ["10.0.0.0/16"] }),
    ]);
  });

  it("counts the instance's group, interface and address in the egress path", async () => {
    const urns = await Promise.all(vpcs.instance.egress.map((r) => valueOf(r.urn)));
    expect(urns).toEqual(
      expect.arrayContaining([
        one("aws:autoscaling/group:Group").urn,
        one("aws:ec2/networkInterface:NetworkInterface").urn,
        one("aws:ec2/eip:Eip").urn,
      ]),
    );
  });
});
