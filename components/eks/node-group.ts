import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Architecture, architectureOf } from "../../lib/instance-types";
import { statefulOptions } from "../../lib/protection";
import { withName } from "../../lib/tags";
import { NodeGroupArgs, ResolvedEksClusterArgs, subnetInput } from "./args";
import { MANAGED_POLICIES, serviceRole } from "./iam";

/** The EKS AMI type of each architecture: Amazon Linux 2023, the default since Kubernetes 1.30. */
export const AMI_TYPES: Record<Architecture, string> = {
  [Architecture.X86_64]: "AL2023_x86_64_STANDARD",
  [Architecture.Arm64]: "AL2023_ARM_64_STANDARD",
};

/** The root device of the AL2023 EKS AMIs. */
export const ROOT_DEVICE = "/dev/xvda";

/**
 * The property an autoscaler owns after creation: a `pulumi up` must not reset the node count.
 * Pulumi takes a property path in the resource's input names.
 */
export const IGNORED_NODE_GROUP_CHANGES = ["scalingConfig.desiredSize"];

/** The AMI type for a group's instance types (validation has already rejected mixed ones). */
export function amiTypeFor(instanceTypes: readonly string[]): string {
  return AMI_TYPES[architectureOf(instanceTypes[0] ?? "")];
}

/** The EC2 resources a node group's launch template tags at launch. */
export const TAGGED_AT_LAUNCH = ["instance", "volume", "network-interface"] as const;

/**
 * The launch template of a node group: IMDSv2 only with a hop limit of 1 (pods cannot reach
 * the node role; they use Pod Identity), an encrypted gp3 root volume, no public IP, and tags.
 * Managed node groups reject subnets and an instance profile in a launch template, so neither
 * is set; the interface carries the cluster security group, as EKS would by default.
 */
export function launchTemplateArgs(
  group: NodeGroupArgs,
  spec: {
    readonly displayName: string;
    readonly securityGroupId: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
  },
): aws.ec2.LaunchTemplateArgs {
  const tags = withName({ ...spec.tags }, spec.displayName);
  return {
    description: `Nodes of ${spec.displayName}`,
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    },
    blockDeviceMappings: [
      {
        deviceName: ROOT_DEVICE,
        ebs: {
          volumeSize: group.diskSizeGiB,
          volumeType: "gp3",
          encrypted: "true",
          deleteOnTermination: "true",
        },
      },
    ],
    networkInterfaces: [
      {
        deviceIndex: 0,
        associatePublicIpAddress: "false",
        deleteOnTermination: "true",
        securityGroups: [spec.securityGroupId],
      },
    ],
    tagSpecifications: TAGGED_AT_LAUNCH.map((resourceType) => ({ resourceType, tags })),
    tags,
  };
}

/**
 * One managed node group per config entry, each with its own launch template and IAM role
 * (named after the group, as config/rules.ts checks the length of), spread over every private
 * subnet. `dependsOn` holds what nodes need to become Ready (the networking addons).
 */
export function createNodeGroups(
  name: string,
  args: ResolvedEksClusterArgs,
  ctx: {
    readonly cluster: aws.eks.Cluster;
    readonly securityGroupId: pulumi.Input<string>;
    readonly partition: string;
    readonly dependsOn: readonly pulumi.Resource[];
  },
  parent: pulumi.Resource,
): Record<string, aws.eks.NodeGroup> {
  const groups: Record<string, aws.eks.NodeGroup> = {};
  for (const [group, settings] of Object.entries(args.nodeGroups)) {
    const displayName = `${args.clusterName}-${group}`;
    const role = serviceRole(
      `${name}-ng-${group}`,
      {
        service: "ec2.amazonaws.com",
        description: `Nodes of ${displayName}`,
        policies: MANAGED_POLICIES.node,
        partition: ctx.partition,
        tags: args.tags,
      },
      parent,
    );
    const template = new aws.ec2.LaunchTemplate(
      `${name}-${group}`,
      launchTemplateArgs(settings, {
        displayName,
        securityGroupId: ctx.securityGroupId,
        tags: args.tags,
      }),
      { parent },
    );
    groups[group] = new aws.eks.NodeGroup(
      `${name}-${group}`,
      {
        clusterName: ctx.cluster.name,
        version: ctx.cluster.version,
        nodeRoleArn: role.role.arn,
        subnetIds: subnetInput(args.subnetIds),
        amiType: amiTypeFor(settings.instanceTypes),
        instanceTypes: [...settings.instanceTypes],
        capacityType: settings.capacityType,
        scalingConfig: {
          minSize: settings.minSize,
          desiredSize: settings.desiredSize,
          maxSize: settings.maxSize,
        },
        updateConfig: { maxUnavailablePercentage: settings.maxUnavailablePercent },
        launchTemplate: {
          id: template.id,
          version: template.latestVersion.apply((v) => String(v)),
        },
        labels: { ...settings.labels },
        taints: settings.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
        tags: withName({ ...args.tags }, displayName),
      },
      {
        ...statefulOptions(args.protection, { parent }),
        ignoreChanges: IGNORED_NODE_GROUP_CHANGES,
        dependsOn: [...role.attachments, ...ctx.dependsOn],
      },
    );
  }
  return groups;
}
