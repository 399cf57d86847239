/**
 * Inputs whose change makes AWS replace the resource (delete and create), by resource type.
 * The URN snapshot records their values, so a change to any of them shows up in review as a
 * snapshot diff, before `pulumi up` replaces a cluster or a subnet with everything in it.
 */
export const REPLACEMENT_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "aws:eks/cluster:Cluster": [
    "name",
    "kubernetesNetworkConfig.serviceIpv4Cidr",
    "encryptionConfig.provider.keyArn",
    "bootstrapSelfManagedAddons",
    "accessConfig.bootstrapClusterCreatorAdminPermissions",
  ],
  "aws:ec2/vpc:Vpc": ["cidrBlock"],
  "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone"],
  "aws:eks/nodeGroup:NodeGroup": ["amiType", "capacityType", "instanceTypes"],
  "aws:ecr/repository:Repository": ["name"],
  "aws:cloudwatch/logGroup:LogGroup": ["name"],
};

/** Reads a dotted path such as `encryptionConfig.provider.keyArn` from resource inputs. */
export function inputAt(inputs: unknown, dottedPath: string): unknown {
  return dottedPath
    .split(".")
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === "object"
          ? (value as Record<string, unknown>)[key]
          : undefined,
      inputs,
    );
}
