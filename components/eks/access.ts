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

/**
 * The Kubernetes group the CI preview role's access entry carries: RBAC objects bound to it
 * (components/platform/preview-access.ts) grant the reads a refresh needs beyond the view policy.
 * Access entry groups must not start with `system:`, `eks:`, `aws:`, `amazon:` or `iam:` (EKS
 * user guide, "Create access entries").
 */
export const PREVIEW_GROUP = "platform:previewers";

/** The principals of a cluster's access config, as {@link createAccess} reads them. */
export interface AccessConfig {
  readonly admins: readonly string[];
  readonly viewers: readonly string[];
  /** The CI deploy role: a cluster admin. Empty for none. */
  readonly ciDeployRole: string;
  /** The CI preview role: a viewer in {@link PREVIEW_GROUP}. Empty for none. */
  readonly ciPreviewRole: string;
}

/** True when no admin is configured, so the identity running the update becomes the admin. */
export function adminFromCaller(access: AccessConfig): boolean {
  return access.admins.length === 0 && access.ciDeployRole === "";
}

/**
 * Why the identity running this program must not be made cluster admin, or undefined. With no
 * admin configured the admin entry follows the caller; when the caller is a configured
 * read-only principal (the CI preview role, a viewer), a preview would plan to replace the
 * admin entry with it, and an update would lock the real deployer out.
 */
export function unexpectedCaller(access: AccessConfig, callerRoleArn: string): string | undefined {
  if (!adminFromCaller(access)) return undefined;
  const role =
    callerRoleArn === access.ciPreviewRole
      ? "the CI preview role (access.ciPreviewRole)"
      : access.viewers.includes(callerRoleArn)
        ? "a viewer (access.viewers)"
        : undefined;
  if (role === undefined) return undefined;
  return `must name the cluster admins (access.admins, or access.ciDeployRole for the role that deploys) when the program runs as ${callerRoleArn}, ${role}: with none, admin follows the caller and this run would replace the admin entry`;
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
  spec: AccessConfig & {
    readonly clusterName: pulumi.Input<string>;
    readonly deployerArn: pulumi.Output<string>;
    readonly partition: string;
    readonly tags: Readonly<Record<string, string>>;
  },
  parent: pulumi.Resource,
): Access {
  const grant = (
    key: string,
    principalArn: pulumi.Input<string>,
    level: AccessLevel,
    kubernetesGroups?: string[],
  ) => {
    const entry = new aws.eks.AccessEntry(
      `${name}-${level}-${key}`,
      {
        clusterName: spec.clusterName,
        principalArn,
        type: "STANDARD",
        kubernetesGroups,
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
  const admins = [...spec.admins, ...(spec.ciDeployRole ? [spec.ciDeployRole] : [])];
  if (adminFromCaller(spec)) {
    associations.push(grant("deployer", spec.deployerArn, "admin"));
  }
  for (const arn of admins) associations.push(grant(principalKey(arn), arn, "admin"));
  for (const arn of spec.viewers) associations.push(grant(principalKey(arn), arn, "viewer"));
  if (spec.ciPreviewRole) {
    const arn = spec.ciPreviewRole;
    associations.push(grant(principalKey(arn), arn, "viewer", [PREVIEW_GROUP]));
  }

  return { associations, adminAccessNote: adminNote(admins, spec.deployerArn) };
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
