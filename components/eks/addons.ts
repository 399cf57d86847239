import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withName } from "../../lib/tags";
import { ADDON_VERSIONS, EKS_ADDONS, EksAddonName, KubernetesVersion } from "../../lib/versions";
import { MANAGED_POLICIES, serviceRole } from "./iam";

/**
 * When an addon is installed relative to the node groups. DaemonSets that nodes need to become
 * Ready go first (a DaemonSet with no nodes is healthy); Deployments go after, or EKS would
 * wait for pods that have nowhere to run.
 */
export const ADDON_PHASE: Record<EksAddonName, "beforeNodes" | "afterNodes"> = {
  "vpc-cni": "beforeNodes",
  "kube-proxy": "beforeNodes",
  "eks-pod-identity-agent": "beforeNodes",
  coredns: "afterNodes",
  "aws-ebs-csi-driver": "afterNodes",
  "metrics-server": "afterNodes",
};

/** What lets a pod onto the system node group, tainted `CriticalAddonsOnly` (lib/karpenter.ts). */
const SYSTEM_TOLERATIONS = [{ key: "CriticalAddonsOnly", operator: "Exists" }];

/**
 * Addon configuration values (JSON). The VPC CNI enforces Kubernetes NetworkPolicies. The
 * Deployments run on the system node group, so they tolerate its taint: coredns takes a
 * top-level `tolerations` and the EBS CSI driver `controller.tolerations` (their schemas from
 * `aws eks describe-addon-configuration`, as openillumi.com's "EKS add-on tolerations" guide
 * shows them); metrics-server's schema follows its chart's values.yaml, which has a top-level
 * `tolerations` (not checked against describe-addon-configuration offline). The DaemonSets
 * (CNI, kube-proxy, Pod Identity agent, EBS CSI node) already tolerate every taint.
 */
export const ADDON_CONFIGURATION: Partial<Record<EksAddonName, string>> = {
  "vpc-cni": JSON.stringify({ enableNetworkPolicy: "true" }),
  coredns: JSON.stringify({ tolerations: SYSTEM_TOLERATIONS }),
  "metrics-server": JSON.stringify({ tolerations: SYSTEM_TOLERATIONS }),
  // The chart's own controller default, plus NoExecute for 300 s (aws-ebs-csi-driver values.yaml).
  "aws-ebs-csi-driver": JSON.stringify({
    controller: {
      tolerations: [
        ...SYSTEM_TOLERATIONS,
        { effect: "NoExecute", operator: "Exists", tolerationSeconds: 300 },
      ],
    },
  }),
};

/** The service account the EBS CSI controller runs as, given AWS permissions by Pod Identity. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" };

/** The pinned version of every addon for a Kubernetes version, with overrides applied. */
export function resolveAddonVersions(
  version: KubernetesVersion,
  overrides: Readonly<Partial<Record<string, string>>>,
): Record<EksAddonName, string> {
  const pinned = ADDON_VERSIONS[version];
  return Object.fromEntries(
    EKS_ADDONS.map((addon) => [addon, overrides[addon] ?? pinned[addon]]),
  ) as Record<EksAddonName, string>;
}

/** Addons are created in two calls around the node groups; this is what the second needs. */
export interface AddonContext {
  readonly clusterName: pulumi.Input<string>;
  /** The cluster's name as configured, for descriptions. */
  readonly displayName: string;
  readonly versions: Record<EksAddonName, string>;
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
}

function addon(
  name: string,
  addonName: EksAddonName,
  ctx: AddonContext,
  opts: pulumi.CustomResourceOptions,
): aws.eks.Addon {
  return new aws.eks.Addon(
    `${name}-${addonName}`,
    {
      clusterName: ctx.clusterName,
      addonName,
      addonVersion: ctx.versions[addonName],
      configurationValues: ADDON_CONFIGURATION[addonName],
      // Create adopts whatever a self-managed install left; update keeps hand-made changes.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      tags: withName({ ...ctx.tags }, addonName),
    },
    opts,
  );
}

/** The addons the nodes need before they can become Ready. */
export function createAddonsBeforeNodes(
  name: string,
  ctx: AddonContext,
  egress: readonly pulumi.Resource[],
  parent: pulumi.Resource,
): Partial<Record<EksAddonName, aws.eks.Addon>> {
  return Object.fromEntries(
    EKS_ADDONS.filter((a) => ADDON_PHASE[a] === "beforeNodes").map((a) => [
      a,
      addon(name, a, ctx, { parent, dependsOn: [...egress] }),
    ]),
  );
}

/**
 * The addons whose pods need nodes. The EBS CSI driver gets its own role through Pod Identity
 * (the agent is a before-nodes addon), so the node role never holds volume permissions.
 */
export function createAddonsAfterNodes(
  name: string,
  ctx: AddonContext & { readonly podIdentityAgent: aws.eks.Addon | undefined },
  nodeGroups: readonly pulumi.Resource[],
  parent: pulumi.Resource,
): Partial<Record<EksAddonName, aws.eks.Addon>> {
  const ebsRole = serviceRole(
    `${name}-ebs-csi`,
    {
      service: "pods.eks.amazonaws.com",
      tagSession: true,
      description: `EBS CSI controller of EKS cluster ${ctx.displayName} (Pod Identity)`,
      policies: MANAGED_POLICIES.ebsCsi,
      partition: ctx.partition,
      tags: ctx.tags,
    },
    parent,
  );
  const ebsIdentity = new aws.eks.PodIdentityAssociation(
    `${name}-ebs-csi`,
    {
      clusterName: ctx.clusterName,
      namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
      roleArn: ebsRole.role.arn,
      tags: withName({ ...ctx.tags }, `${ctx.displayName}-ebs-csi`),
    },
    { parent, dependsOn: [...ebsRole.attachments] },
  );
  const extra: Partial<Record<EksAddonName, pulumi.Resource[]>> = {
    "aws-ebs-csi-driver": [ebsIdentity, ...(ctx.podIdentityAgent ? [ctx.podIdentityAgent] : [])],
  };
  return Object.fromEntries(
    EKS_ADDONS.filter((a) => ADDON_PHASE[a] === "afterNodes").map((a) => [
      a,
      addon(name, a, ctx, { parent, dependsOn: [...nodeGroups, ...(extra[a] ?? [])] }),
    ]),
  );
}
