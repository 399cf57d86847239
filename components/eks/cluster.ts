import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KUBERNETES_SERVICE_CIDR } from "../../lib/cidr";
import { statefulOptions } from "../../lib/protection";
import { withName } from "../../lib/tags";
import { ResolvedEksClusterArgs, subnetInput } from "./args";
import { MANAGED_POLICIES, serviceRole } from "./iam";

/** The audience Pod and IRSA tokens carry for STS. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** The control-plane log group EKS writes to; it must have exactly this name. */
export function controlPlaneLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/**
 * The secrets key's policy: the account root administers it (so IAM policies can grant use and
 * the key can never become unmanageable), and the cluster role may use it for envelope
 * encryption. These four actions are what EKS calls with the cluster role.
 */
export function secretsKeyPolicy(partition: string, accountId: string, clusterRoleArn: string) {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountRootAdministers",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "EksClusterRoleEncryptsSecrets",
        Effect: "Allow",
        Principal: { AWS: clusterRoleArn },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"],
        Resource: "*",
      },
    ],
  });
}

/** What {@link createControlPlane} made, for the other parts to build on. */
export interface ControlPlane {
  readonly cluster: aws.eks.Cluster;
  readonly kmsKey: aws.kms.Key;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly oidcProvider: aws.iam.OpenIdConnectProvider;
  /** The cluster security group EKS creates: control plane, nodes and pods all share it. */
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
}

/**
 * The cluster role, the secrets KMS key, the log group (before the cluster, so EKS does not
 * create one with infinite retention), the cluster itself and its IRSA OIDC provider.
 */
export function createControlPlane(
  name: string,
  args: ResolvedEksClusterArgs,
  ctx: { readonly partition: string; readonly accountId: pulumi.Output<string> },
  parent: pulumi.Resource,
): ControlPlane {
  const tags = args.tags;
  const stateful = statefulOptions(args.protection, { parent });
  const clusterRole = serviceRole(
    `${name}-cluster`,
    {
      service: "eks.amazonaws.com",
      description: `EKS control plane of ${args.clusterName}`,
      policies: MANAGED_POLICIES.cluster,
      partition: ctx.partition,
      tags,
    },
    parent,
  );

  const kmsKey = new aws.kms.Key(
    `${name}-secrets`,
    {
      description: `Envelope encryption of Kubernetes secrets in EKS cluster ${args.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: args.kmsDeletionWindowDays,
      policy: pulumi
        .all([ctx.accountId, clusterRole.role.arn])
        .apply(([account, roleArn]) => secretsKeyPolicy(ctx.partition, account, roleArn)),
      tags: withName({ ...tags }, `${args.clusterName}-eks-secrets`),
    },
    stateful,
  );
  new aws.kms.Alias(
    `${name}-secrets`,
    { name: `alias/${args.clusterName}-eks-secrets`, targetKeyId: kmsKey.keyId },
    { parent },
  );

  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-control-plane`,
    {
      name: controlPlaneLogGroupName(args.clusterName),
      retentionInDays: args.logRetentionDays,
      tags: withName({ ...tags }, controlPlaneLogGroupName(args.clusterName)),
    },
    stateful,
  );

  const cluster = new aws.eks.Cluster(
    `${name}-cluster`,
    {
      name: args.clusterName,
      version: args.version,
      roleArn: clusterRole.role.arn,
      upgradePolicy: { supportType: args.upgradePolicy },
      enabledClusterLogTypes: [...args.logTypes],
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: false,
      },
      // vpc-cni, kube-proxy and coredns are all managed addons here (addons.ts), so EKS need not
      // install self-managed copies that the addons would then overwrite.
      bootstrapSelfManagedAddons: false,
      vpcConfig: {
        subnetIds: subnetInput(args.subnetIds),
        endpointPrivateAccess: true,
        endpointPublicAccess: args.endpointPublicAccess,
        // Left unset for a private-only endpoint: EKS reports 0.0.0.0/0 there regardless.
        publicAccessCidrs: args.endpointPublicAccess ? [...args.publicAccessCidrs] : undefined,
      },
      // Explicit, so the service range never follows what EKS would pick from the VPC CIDR.
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: KUBERNETES_SERVICE_CIDR },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: kmsKey.arn } },
      deletionProtection: args.deletionProtection,
      tags: withName({ ...tags }, args.clusterName),
    },
    { ...stateful, dependsOn: [logGroup, ...clusterRole.attachments] },
  );

  const oidcIssuer = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? "");
  // No thumbprint: IAM now verifies OIDC providers' TLS certificates against its library of
  // trusted root CAs, and the EKS issuer's certificate chains to one, so a thumbprint would be
  // stored but never used (and the provider makes the field optional).
  const oidcProvider = new aws.iam.OpenIdConnectProvider(
    `${name}-oidc`,
    {
      url: oidcIssuer,
      clientIdLists: [STS_AUDIENCE],
      tags: withName({ ...tags }, `${args.clusterName}-irsa`),
    },
    { parent },
  );

  return {
    cluster,
    kmsKey,
    logGroup,
    oidcProvider,
    oidcIssuer,
    clusterSecurityGroupId: cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? ""),
  };
}
