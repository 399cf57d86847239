import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KARPENTER_SERVICE_ACCOUNT, renderPolicy } from "../../lib/karpenter";
import { karpenterName } from "../../lib/naming";
import { withName } from "../../lib/tags";
import { MANAGED_POLICIES, serviceRole } from "../eks/iam";
import { PodIdentityRole } from "../pod-identity";
import controllerPolicies from "./policies/karpenter-controller.json";

/** The upstream controller policies, by the names Karpenter's template gives them. */
export const CONTROLLER_POLICY_NAMES = Object.keys(
  controllerPolicies,
) as (keyof typeof controllerPolicies)[];

/** What the nodes Karpenter launches are: a role, allowed into the cluster as EC2 Linux nodes. */
export interface NodeIdentity {
  readonly role: aws.iam.Role;
  /** The role's managed policies; the nodes need them before they can join. */
  readonly attachments: aws.iam.RolePolicyAttachment[];
  /** The EKS access entry of type EC2_LINUX: the kubelet's credentials map to a node identity. */
  readonly accessEntry: aws.eks.AccessEntry;
}

/**
 * The node role of Karpenter's nodes (the policies of the managed node groups' role: worker,
 * CNI, image pulls) and its EKS access entry of type `EC2_LINUX`, which needs no access policy
 * (EKS user guide, "Create access entries"). Karpenter creates the instance profile for the role
 * from the EC2NodeClass's `role`, and deletes it when the EC2NodeClass goes.
 */
export function createNodeIdentity(
  name: string,
  args: {
    readonly clusterName: pulumi.Input<string>;
    readonly partition: string;
    readonly tags: Readonly<Record<string, string>>;
  },
  parent: pulumi.Resource,
): NodeIdentity {
  const { role, attachments } = serviceRole(
    `${name}-node`,
    {
      service: "ec2.amazonaws.com",
      description: "Nodes launched by Karpenter",
      policies: MANAGED_POLICIES.node,
      partition: args.partition,
      tags: args.tags,
    },
    parent,
  );
  const accessEntry = new aws.eks.AccessEntry(
    `${name}-node`,
    {
      clusterName: args.clusterName,
      principalArn: role.arn,
      type: "EC2_LINUX",
      tags: withName({ ...args.tags }, `${name}-node`),
    },
    { parent },
  );
  return { role, attachments, accessEntry };
}

/**
 * The controller's permissions: the five upstream policies (policies/karpenter-controller.json,
 * scoped by `kubernetes.io/cluster/<name>: owned`, `eks:eks-cluster-name` and
 * `karpenter.sh/nodepool` tags as upstream scopes them; PassRole only on the node role; the
 * queue only), granted to the `kube-system/karpenter` service account through Pod Identity.
 */
export function createControllerIdentity(
  name: string,
  args: {
    readonly clusterName: pulumi.Input<string>;
    readonly namespace: string;
    readonly partition: string;
    readonly region: string;
    readonly nodeRoleArn: pulumi.Input<string>;
    readonly queueArn: pulumi.Input<string>;
    readonly namePrefix: string;
    readonly tags: Readonly<Record<string, string>>;
  },
  parent: pulumi.Resource,
): PodIdentityRole {
  const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const policyArns = CONTROLLER_POLICY_NAMES.map((policy) => {
    const document = pulumi
      .all([args.clusterName, accountId, args.nodeRoleArn, args.queueArn])
      .apply(([clusterName, id, nodeRoleArn, queueArn]) =>
        renderPolicy(controllerPolicies[policy], {
          partition: args.partition,
          region: args.region,
          accountId: id,
          clusterName,
          nodeRoleArn,
          queueArn,
        }),
      );
    // NodeLifecyclePolicy -> node-lifecycle, IAMIntegrationPolicy -> iam-integration.
    const short = (policy.replace(/Policy$/, "").match(/[A-Z]+(?![a-z])|[A-Z][a-z]+/g) ?? [])
      .join("-")
      .toLowerCase();
    return new aws.iam.Policy(
      `${args.namePrefix}-karpenter-${short}`,
      {
        description: `Karpenter controller ${policy}, from Karpenter's getting-started template`,
        policy: document,
        tags: withName({ ...args.tags }, `${args.namePrefix}-karpenter-${short}`),
      },
      { parent },
    ).arn;
  });
  return new PodIdentityRole(
    `${name}-controller`,
    {
      clusterName: args.clusterName,
      namespace: args.namespace,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      policyArns,
      roleName: karpenterName(args.namePrefix),
      description: "Karpenter controller",
      tags: args.tags,
    },
    { parent },
  );
}
