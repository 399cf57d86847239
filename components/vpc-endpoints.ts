import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withName } from "../lib/tags";

/**
 * The interface endpoints nodes need to pull images and write logs without the NAT gateway:
 * the ECR API and registry, STS (IRSA and Pod Identity token exchange) and CloudWatch Logs.
 * Each costs about $7.30 a month per AZ, so they are off unless config asks (see the README).
 */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts", "logs"] as const;

/** What {@link createEndpoints} needs from the VPC component. */
export interface EndpointsArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly cidrBlock: string;
  /** Every route table of the VPC: the S3 gateway endpoint adds a route to each. */
  readonly routeTableIds: pulumi.Input<string>[];
  /** The private subnets, one per AZ, where interface endpoints place their network interfaces. */
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly interfaceEndpoints: boolean;
  readonly tags: Record<string, string>;
}

/** The endpoints created, for outputs and tests. */
export interface Endpoints {
  readonly s3: aws.ec2.VpcEndpoint;
  readonly interfaces: aws.ec2.VpcEndpoint[];
  /** The security group of the interface endpoints; undefined when there are none. */
  readonly securityGroup?: aws.ec2.SecurityGroup;
}

/**
 * An S3 gateway endpoint, always: it is free, and ECR serves image layers from S3, so image
 * pulls stay off the NAT gateway ($0.045/GB). Interface endpoints only when asked.
 */
export function createEndpoints(
  name: string,
  args: EndpointsArgs,
  parent: pulumi.Resource,
): Endpoints {
  const opts = { parent };
  const region = aws.getRegionOutput({}, opts).region;
  const prefix = aws.getPartitionOutput({}, opts).reverseDnsPrefix;
  const service = (s: string) => pulumi.interpolate`${prefix}.${region}.${s}`;

  const s3 = new aws.ec2.VpcEndpoint(
    `${name}-s3`,
    {
      vpcId: args.vpcId,
      serviceName: service("s3"),
      vpcEndpointType: "Gateway",
      routeTableIds: args.routeTableIds,
      tags: withName(args.tags, `${name}-s3`),
    },
    opts,
  );
  if (!args.interfaceEndpoints) return { s3, interfaces: [] };

  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-endpoints`,
    {
      vpcId: args.vpcId,
      description: "HTTPS from inside the VPC to the interface endpoints",
      tags: withName(args.tags, `${name}-endpoints`),
    },
    opts,
  );
  new aws.vpc.SecurityGroupIngressRule(
    `${name}-endpoints-https`,
    {
      securityGroupId: securityGroup.id,
      description: "HTTPS from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: args.cidrBlock,
      tags: withName(args.tags, `${name}-endpoints-https`),
    },
    opts,
  );
  const interfaces = INTERFACE_ENDPOINT_SERVICES.map((s) => {
    const endpointName = `${name}-${s.replace(".", "-")}`;
    return new aws.ec2.VpcEndpoint(
      endpointName,
      {
        vpcId: args.vpcId,
        serviceName: service(s),
        vpcEndpointType: "Interface",
        // Private DNS makes the regional hostnames resolve to the endpoint inside the VPC,
        // so the kubelet, containerd and the SDKs need no configuration.
        privateDnsEnabled: true,
        subnetIds: args.privateSubnetIds,
        securityGroupIds: [securityGroup.id],
        tags: withName(args.tags, endpointName),
      },
      opts,
    );
  });
  return { s3, interfaces, securityGroup };
}
