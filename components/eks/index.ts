import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EksAddonName, KubernetesVersion } from "../../lib/versions";
import { createAccess } from "./access";
import { createAddonsAfterNodes, createAddonsBeforeNodes, resolveAddonVersions } from "./addons";
import { EksClusterArgs, partitionOf, withDefaults } from "./args";
import { createControlPlane } from "./cluster";
import { createKubernetesAccess, updateKubeconfigCommand } from "./kubeconfig";
import { createNodeGroups } from "./node-group";
import { DEFAULT_STORAGE_CLASS, createDefaultStorageClass } from "./storage";
import { assertValidEksClusterArgs } from "./validate";

export { EKS_DEFAULTS } from "./args";
export type { ClusterLogType, EksClusterArgs, NodeGroupArgs } from "./args";
export {
  ACCESS_POLICIES,
  PREVIEW_GROUP,
  accessPolicyArn,
  adminFromCaller,
  principalKey,
  unexpectedCaller,
} from "./access";
export {
  ADDON_CONFIGURATION,
  ADDON_PHASE,
  EBS_CSI_SERVICE_ACCOUNT,
  resolveAddonVersions,
} from "./addons";
export { deployingRole } from "./caller";
export { controlPlaneLogGroupName, secretsKeyPolicy } from "./cluster";
export { MANAGED_POLICIES } from "./iam";
export { buildKubeconfig, updateKubeconfigCommand } from "./kubeconfig";
export type { KubeconfigInput } from "./kubeconfig";
export { AMI_TYPES, IGNORED_NODE_GROUP_CHANGES, ROOT_DEVICE, amiTypeFor } from "./node-group";
export { DEFAULT_STORAGE_CLASS } from "./storage";
export { assertValidEksClusterArgs, nodeGroupProblems, validateEksClusterArgs } from "./validate";

/**
 * An EKS cluster built from `@pulumi/aws` primitives, so every child is visible to previews,
 * tests and policies: an encrypted control plane with its log group, access entries, managed
 * node groups on launch templates, managed addons, a default gp3 StorageClass, and a
 * Kubernetes provider whose inputs stay the same from run to run.
 */
export class EksCluster extends pulumi.ComponentResource {
  /** The cluster's name, resolved once the cluster exists (use it to depend on the cluster). */
  public readonly clusterName: pulumi.Output<string>;
  /** The Kubernetes API server URL. */
  public readonly endpoint: pulumi.Output<string>;
  /** A kubeconfig using `aws eks get-token`; secret because it names the endpoint and CA. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** `aws eks update-kubeconfig ...` for this cluster, to run on a laptop. */
  public readonly updateKubeconfigCommand: string;
  /** The Kubernetes provider for everything deployed into the cluster. */
  public readonly provider: k8s.Provider;
  /** The managed node groups by config name; `dependsOn` them for anything needing nodes. */
  public readonly nodeGroups: Readonly<Record<string, aws.eks.NodeGroup>>;
  /** The managed addons by name (coredns for DNS, metrics-server for HPAs, ...). */
  public readonly addons: Readonly<Record<EksAddonName, aws.eks.Addon>>;
  /** The IRSA OIDC provider's ARN. */
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** The OIDC issuer URL (`https://oidc.eks...`); trust conditions use it without `https://`. */
  public readonly oidcIssuer: pulumi.Output<string>;
  /** The security group EKS created, shared by the control plane and every node. */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The KMS key encrypting Kubernetes secrets. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** Who has cluster admin and why. */
  public readonly adminAccessNote: pulumi.Output<string>;
  /** The default StorageClass's name. */
  public readonly storageClassName: string;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super(): bad args fail before anything, even this component, is registered.
    assertValidEksClusterArgs(name, args);
    super("platform:eks:Cluster", name, {}, opts);
    const a = withDefaults(args);
    const partition = partitionOf(a.region);
    const caller = aws.getCallerIdentityOutput({}, { parent: this });
    // The role behind an assumed-role session; an IAM user's ARN comes back unchanged.
    const deployerArn =
      a.deployerArn === undefined
        ? aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent: this }).issuerArn
        : pulumi.output(a.deployerArn);

    const cp = createControlPlane(name, a, { partition, accountId: caller.accountId }, this);
    const clusterName = cp.cluster.name;
    const access = createAccess(
      name,
      {
        clusterName,
        admins: a.admins,
        viewers: a.viewers,
        ciDeployRole: a.ciDeployRole,
        ciPreviewRole: a.ciPreviewRole,
        deployerArn,
        partition,
        tags: a.tags,
      },
      this,
    );

    const versions = resolveAddonVersions(a.version as KubernetesVersion, a.addonVersions);
    const addonCtx = { clusterName, displayName: a.clusterName, versions, partition, tags: a.tags };
    // The networking addons (VPC CNI calls EC2, the Pod Identity agent calls EKS Auth) and the
    // nodes reach AWS through the NAT path: created after it, destroyed before it.
    const before = createAddonsBeforeNodes(name, addonCtx, a.egress, this);
    const nodeGroups = createNodeGroups(
      name,
      a,
      {
        cluster: cp.cluster,
        securityGroupId: cp.clusterSecurityGroupId,
        partition,
        dependsOn: [...Object.values(before), ...a.egress],
      },
      this,
    );
    const after = createAddonsAfterNodes(
      name,
      { ...addonCtx, podIdentityAgent: before["eks-pod-identity-agent"] },
      Object.values(nodeGroups),
      this,
    );

    const kubeInput = {
      clusterName: a.clusterName,
      region: a.region,
      profile: a.kubeconfigProfile,
      roleArn: a.kubeconfigRoleArn,
    };
    const kube = createKubernetesAccess(
      name,
      {
        cluster: {
          arn: cp.cluster.arn,
          endpoint: cp.cluster.endpoint,
          caData: cp.cluster.certificateAuthority.data,
        },
        input: kubeInput,
        dependsOn: access.associations,
      },
      this,
    );
    createDefaultStorageClass(name, kube.provider, this);

    this.clusterName = clusterName;
    this.endpoint = cp.cluster.endpoint;
    this.kubeconfig = kube.kubeconfig;
    this.updateKubeconfigCommand = updateKubeconfigCommand(kubeInput);
    this.provider = kube.provider;
    this.nodeGroups = nodeGroups;
    this.addons = { ...before, ...after } as Record<EksAddonName, aws.eks.Addon>;
    this.oidcProviderArn = cp.oidcProvider.arn;
    this.oidcIssuer = cp.oidcIssuer;
    this.clusterSecurityGroupId = cp.clusterSecurityGroupId;
    this.kmsKeyArn = cp.kmsKey.arn;
    this.adminAccessNote = access.adminAccessNote;
    this.storageClassName = DEFAULT_STORAGE_CLASS;

    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      updateKubeconfigCommand: this.updateKubeconfigCommand,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      kmsKeyArn: this.kmsKeyArn,
      adminAccessNote: this.adminAccessNote,
    });
  }
}
