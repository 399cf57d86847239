import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withName } from "../../lib/tags";

/** AWS-managed IAM policies the cluster's roles use, by name (ARN path after `policy/`). */
export const MANAGED_POLICIES = {
  /** The only policy an EKS cluster role needs without Auto Mode or security groups for pods. */
  cluster: ["AmazonEKSClusterPolicy"],
  /**
   * Nodes: describe EC2 and Pod Identity (worker), pod IPs (CNI: aws-node runs on the host network
   * with the node role, since IMDS is closed to pods), and image pulls. AWS's node role page now
   * names AmazonEC2ContainerRegistryPullOnly, which drops the ReadOnly policy's list/describe.
   */
  node: ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"],
  /** The EBS CSI controller, through Pod Identity. */
  ebsCsi: ["service-role/AmazonEBSCSIDriverPolicy"],
} as const;

/** The ARN of an AWS-managed policy in a partition. */
export function managedPolicyArn(partition: string, policy: string): string {
  return `arn:${partition}:iam::aws:policy/${policy}`;
}

/** A trust policy letting one AWS service principal assume the role (with session tags if asked). */
export function trustPolicy(service: string, tagSession = false): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: tagSession ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"],
      },
    ],
  });
}

/** A role with AWS-managed policies attached; the attachments are returned to depend on. */
export interface RoleWithPolicies {
  readonly role: aws.iam.Role;
  readonly attachments: aws.iam.RolePolicyAttachment[];
}

/**
 * Creates an IAM role trusted by `service` with AWS-managed `policies`. Resources that use the
 * role should depend on `attachments`: the role's ARN exists before its permissions do.
 */
export function serviceRole(
  name: string,
  spec: {
    readonly service: string;
    readonly tagSession?: boolean;
    readonly description: string;
    readonly policies: readonly string[];
    readonly partition: string;
    readonly tags: Readonly<Record<string, string>>;
  },
  parent: pulumi.Resource,
): RoleWithPolicies {
  const role = new aws.iam.Role(
    name,
    {
      description: spec.description,
      assumeRolePolicy: trustPolicy(spec.service, spec.tagSession),
      tags: withName({ ...spec.tags }, name),
    },
    { parent },
  );
  const attachments = spec.policies.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy.split("/").pop()!}`,
        { role: role.name, policyArn: managedPolicyArn(spec.partition, policy) },
        { parent },
      ),
  );
  return { role, attachments };
}
