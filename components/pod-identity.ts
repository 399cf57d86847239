import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrustPolicy } from "../lib/pod-identity";
import { withName } from "../lib/tags";

/** The arguments of {@link PodIdentityRole}. */
export interface PodIdentityRoleArgs {
  /** The EKS cluster whose pods get the role. @default - none */
  readonly clusterName: pulumi.Input<string>;
  /** The namespace of the service account. @default - none */
  readonly namespace: pulumi.Input<string>;
  /** The Kubernetes service account the role is associated with. @default - none */
  readonly serviceAccount: pulumi.Input<string>;
  /** IAM policy ARNs attached to the role. @default [] */
  readonly policyArns?: readonly pulumi.Input<string>[];
  /** An inline policy document (JSON) for permissions scoped to this stack's resources. @default - none */
  readonly inlinePolicy?: pulumi.Input<string>;
  /** The role's logical name; Pulumi appends a random suffix. @default - the component name */
  readonly roleName?: string;
  /** What the role is for, shown in the IAM console. @default - names the service account */
  readonly description?: string;
  /** Tags for the role and the association. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An IAM role for the pods of one Kubernetes service account, through EKS Pod Identity: the
 * role, its policies and the association. The trust policy accepts only that cluster,
 * namespace and service account (session tags), so the role serves that workload alone.
 */
export class PodIdentityRole extends pulumi.ComponentResource {
  /** The role the pods assume. */
  public readonly role: aws.iam.Role;
  /** The role's ARN. */
  public readonly roleArn: pulumi.Output<string>;
  /** The association; pods created before it exists get no credentials, so depend on it. */
  public readonly association: aws.eks.PodIdentityAssociation;

  constructor(name: string, args: PodIdentityRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:iam:PodIdentityRole", name, {}, opts);
    const parent = { parent: this };
    const tags = { ...args.tags };
    const roleName = args.roleName ?? name;

    this.role = new aws.iam.Role(
      roleName,
      {
        description:
          args.description ??
          pulumi.interpolate`EKS Pod Identity role of ${args.namespace}/${args.serviceAccount}`,
        assumeRolePolicy: pulumi
          .all([args.clusterName, args.namespace, args.serviceAccount])
          .apply(([clusterName, namespace, serviceAccount]) =>
            JSON.stringify(podIdentityTrustPolicy({ clusterName, namespace, serviceAccount })),
          ),
        tags: withName(tags, roleName),
      },
      parent,
    );
    const grants: pulumi.Resource[] = (args.policyArns ?? []).map(
      (policyArn, i) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${i}`,
          { role: this.role.name, policyArn },
          parent,
        ),
    );
    if (args.inlinePolicy !== undefined) {
      grants.push(
        new aws.iam.RolePolicy(
          `${name}-inline`,
          { role: this.role.id, policy: args.inlinePolicy },
          parent,
        ),
      );
    }
    this.association = new aws.eks.PodIdentityAssociation(
      name,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: this.role.arn,
        tags,
      },
      // Credentials handed out before the permissions exist would fail the first AWS calls.
      { parent: this, dependsOn: grants },
    );
    this.roleArn = this.role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
