import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withName } from "../../lib/tags";

/** EKS access policies granted at cluster scope. */
export const ACCESS_POLICIES = {
  admin: "AmazonEKSClusterAdminPolicy",
  // View, not AdminView: read-only principals see workloads but not Secrets.
  viewer: "AmazonEKSViewPolicy",
} as const;
/** A level of access a principal gets. */
export type AccessLevel = keyof typeof ACCESS_POLICIES;

/** The ARN of an EKS access policy. */
export function accessPolicyArn(partition: string, level: AccessLevel): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[level]}`;
}

/**
 * A stable resource-name suffix for a principal: account, kind and name, so reordering the
 * config list never replaces an entry (and briefly revokes access).
 */
export function principalKey(arn: string): string {
  const [, , , , account = "", resource = ""] = arn.split(":");
  const [kind = "", ...path] = resource.split("/");
  return `${account}-${kind}-${path.at(-1) ?? ""}`.replace(/[^A-Za-z0-9_.@+=,-]/g, "-");
}

/** What {@link createAccess} made. */
export interface Access {
  /** The policy associations: Kubernetes calls made by the deployer must wait for them. */
  readonly associations: aws.eks.AccessPolicyAssociation[];
  /** Who got cluster admin and why, for people reading the stack outputs. */
  readonly adminAccessNote: pulumi.Output<string>;
}

/**
 * Access entries with cluster-scope policy associations for `admins` and `viewers`. With no
 * admin listed, the identity running the deployment (an assumed-role session resolved to its
 * IAM role) gets cluster admin, so `pulumi up` then `kubectl get nodes` works from a laptop.
 */
export function createAccess(
  name: string,
  spec: {
    readonly clusterName: pulumi.Input<string>;
    readonly admins: readonly string[];
    readonly viewers: readonly string[];
    readonly deployerArn: pulumi.Output<string>;
    readonly partition: string;
    readonly tags: Readonly<Record<string, string>>;
  },
  parent: pulumi.Resource,
): Access {
  const grant = (key: string, principalArn: pulumi.Input<string>, level: AccessLevel) => {
    const entry = new aws.eks.AccessEntry(
      `${name}-${level}-${key}`,
      {
        clusterName: spec.clusterName,
        principalArn,
        type: "STANDARD",
        tags: withName({ ...spec.tags }, `${name}-${level}-${key}`),
      },
      { parent },
    );
    return new aws.eks.AccessPolicyAssociation(
      `${name}-${level}-${key}`,
      {
        clusterName: spec.clusterName,
        principalArn: entry.principalArn,
        policyArn: accessPolicyArn(spec.partition, level),
        accessScope: { type: "cluster" },
      },
      { parent },
    );
  };

  const associations: aws.eks.AccessPolicyAssociation[] = [];
  if (spec.admins.length === 0) {
    associations.push(grant("deployer", spec.deployerArn, "admin"));
  }
  for (const arn of spec.admins) associations.push(grant(principalKey(arn), arn, "admin"));
  for (const arn of spec.viewers) associations.push(grant(principalKey(arn), arn, "viewer"));

  return { associations, adminAccessNote: adminNote(spec.admins, spec.deployerArn) };
}

/** The admin note; warns when the deployer is not an admin, since it deploys into the cluster. */
function adminNote(admins: readonly string[], deployerArn: pulumi.Output<string>) {
  return deployerArn.apply((deployer) => {
    if (admins.length === 0) {
      return `No cluster admins are configured, so cluster admin was granted to the identity that ran the deployment: ${deployer}. List admins explicitly to choose who administers the cluster.`;
    }
    const note = `Cluster admin is granted to the ${admins.length} configured principal${admins.length === 1 ? "" : "s"}.`;
    if (admins.includes(deployer)) return note;
    const warning = `${note} The deploying identity ${deployer} is not one of them, so deploying Kubernetes resources will be refused; add it to the admins.`;
    void pulumi.log.warn(warning);
    return warning;
  });
}
