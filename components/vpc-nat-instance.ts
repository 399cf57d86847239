import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAT_INSTANCE, natInstanceUserData } from "../lib/nat-instance";
import { withName } from "../lib/tags";

/** What {@link createNatInstance} made. */
export interface NatInstance {
  /** The fixed interface: it holds the Elastic IP, and the private routes point at it. */
  readonly networkInterface: aws.ec2.NetworkInterface;
  readonly eip: aws.ec2.Eip;
  readonly group: aws.autoscaling.Group;
}

/**
 * A NAT instance that heals itself: an Auto Scaling group of exactly one, whose launch template
 * makes a fixed network interface the instance's primary one (EC2 Auto Scaling user guide,
 * "Examples for creating and managing launch templates with the AWS CLI", existing network
 * interface). A replacement instance takes the same interface, so the Elastic IP and the
 * private routes never change. Source/destination check off on the interface; a security group
 * that admits only the VPC's range; IMDSv2 required with a hop limit of 1; an encrypted gp3 root.
 */
export function createNatInstance(
  name: string,
  spec: {
    readonly vpcId: pulumi.Input<string>;
    readonly vpcCidr: string;
    readonly subnet: aws.ec2.Subnet;
    readonly igw: aws.ec2.InternetGateway;
    readonly tags: Readonly<Record<string, string>>;
  },
  component: pulumi.Resource,
): NatInstance {
  const parent = { parent: component };
  const securityGroup = new aws.ec2.SecurityGroup(
    name,
    {
      vpcId: spec.vpcId,
      description: "NAT instance: forwards the VPC's outbound traffic",
      ingress: [
        {
          description: "from the VPC",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: [spec.vpcCidr],
        },
      ],
      egress: [
        {
          description: "to the internet",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        },
      ],
      tags: withName(spec.tags, name),
    },
    parent,
  );
  const networkInterface = new aws.ec2.NetworkInterface(
    name,
    {
      subnetId: spec.subnet.id,
      securityGroups: [securityGroup.id],
      // A NAT forwards packets addressed to others: EC2 drops them unless this is off.
      sourceDestCheck: false,
      description: "NAT instance: the fixed interface the private routes point at",
      tags: withName(spec.tags, name),
    },
    parent,
  );
  const eip = new aws.ec2.Eip(
    name,
    { domain: "vpc", networkInterface: networkInterface.id, tags: withName(spec.tags, name) },
    { ...parent, dependsOn: [spec.igw] },
  );
  const template = new aws.ec2.LaunchTemplate(
    name,
    {
      description: "NAT instance",
      imageId: `resolve:ssm:${NAT_INSTANCE.amiParameter}`,
      instanceType: NAT_INSTANCE.instanceType,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      },
      blockDeviceMappings: [
        {
          deviceName: NAT_INSTANCE.rootDevice,
          ebs: {
            volumeSize: NAT_INSTANCE.rootVolumeGiB,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      // The security group is on the interface; a template that names an interface may not
      // name groups of its own.
      networkInterfaces: [
        { deviceIndex: 0, networkInterfaceId: networkInterface.id, deleteOnTermination: "false" },
      ],
      userData: Buffer.from(natInstanceUserData()).toString("base64"),
      tagSpecifications: [
        { resourceType: "instance", tags: withName(spec.tags, name) },
        { resourceType: "volume", tags: withName(spec.tags, name) },
      ],
      tags: withName(spec.tags, name),
    },
    parent,
  );
  const group = new aws.autoscaling.Group(
    name,
    {
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      // The interface lives in one subnet, so the group launches in that subnet's zone.
      availabilityZones: [spec.subnet.availabilityZone],
      launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
      healthCheckType: "EC2",
      tags: Object.entries(withName(spec.tags, name)).map(([key, value]) => ({
        key,
        value,
        propagateAtLaunch: false,
      })),
    },
    { ...parent, dependsOn: [eip] },
  );
  return { networkInterface, eip, group };
}
