import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValidArgs, shown } from "../../lib/args";
import { PREVIEW_GROUP } from "../eks/access";

/**
 * What `pulumi preview --refresh` reads that AmazonEKSViewPolicy (the Kubernetes `view` role's
 * rules; EKS user guide, "Review access policy permissions") does not grant: the cluster-scoped
 * kinds and custom resources the stack manages (RBAC objects, StorageClasses, IngressClasses and
 * their params, Karpenter's NodePools and EC2NodeClass, SecretProviderClasses, ServiceMonitors).
 * Read verbs only. A test checks that every kind the stack registers is covered by one or the other.
 */
export const REFRESH_READS: readonly k8s.types.input.rbac.v1.PolicyRule[] = [
  {
    apiGroups: ["rbac.authorization.k8s.io"],
    resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
    verbs: ["get", "list"],
  },
  { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: ["get", "list"] },
  { apiGroups: ["networking.k8s.io"], resources: ["ingressclasses"], verbs: ["get", "list"] },
  { apiGroups: ["elbv2.k8s.aws"], resources: ["ingressclassparams"], verbs: ["get", "list"] },
  { apiGroups: ["karpenter.sh"], resources: ["nodepools"], verbs: ["get", "list"] },
  { apiGroups: ["karpenter.k8s.aws"], resources: ["ec2nodeclasses"], verbs: ["get", "list"] },
  {
    apiGroups: ["secrets-store.csi.x-k8s.io"],
    resources: ["secretproviderclasses"],
    verbs: ["get", "list"],
  },
  { apiGroups: ["monitoring.coreos.com"], resources: ["servicemonitors"], verbs: ["get", "list"] },
];

/**
 * Helm 3 keeps each release's records as Secrets (`sh.helm.release.v1.<name>.v<n>`, labelled
 * `owner=helm`) in the release's namespace, and reads them with get and list; refreshing a
 * `helm.sh/v3` Release reads them. RBAC cannot select by label, so the grant is every Secret of
 * the release namespaces, and those namespaces hold no application secrets.
 */
export const RELEASE_RECORD_READS: readonly k8s.types.input.rbac.v1.PolicyRule[] = [
  { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] },
];

/** The arguments of {@link PreviewAccess}. */
export interface PreviewAccessArgs {
  /** The Kubernetes provider of the cluster. @default - none (required) */
  readonly provider: k8s.Provider;
  /** The namespaces Helm releases are installed in, where their records are kept. @default - none (required) */
  readonly releaseNamespaces: readonly string[];
  /** What the namespaces need to exist first (the releases' namespaces). @default [] */
  readonly requires?: pulumi.Resource[];
}

/** Every problem with {@link PreviewAccessArgs}, one sentence each. */
export function validatePreviewAccessArgs(args: PreviewAccessArgs): string[] {
  const ns = args.releaseNamespaces;
  return new Set(ns).size === ns.length && ns.length > 0
    ? []
    : [`releaseNamespaces must list each release namespace once; got ${shown(ns)}`];
}

/**
 * Least-privilege reads for the CI preview role (its access entry carries {@link PREVIEW_GROUP}):
 * a ClusterRole for the kinds the view policy leaves out, and a Role per Helm release namespace
 * for the release records, so `pulumi preview --refresh` and the drift check can refresh every
 * resource of the stack without write access or cluster-wide Secrets.
 */
export class PreviewAccess extends pulumi.ComponentResource {
  constructor(name: string, args: PreviewAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("PreviewAccess", validatePreviewAccessArgs(args));
    super("platform:k8s:PreviewAccess", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider, dependsOn: args.requires ?? [] };
    const subjects = [
      { kind: "Group", name: PREVIEW_GROUP, apiGroup: "rbac.authorization.k8s.io" },
    ];
    const clusterRole = new k8s.rbac.v1.ClusterRole(
      `${name}-refresh`,
      { metadata: { name: "platform:preview-refresh" }, rules: [...REFRESH_READS] },
      k8sOpts,
    );
    new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-refresh`,
      {
        metadata: { name: "platform:preview-refresh" },
        roleRef: {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "ClusterRole",
          name: clusterRole.metadata.name,
        },
        subjects,
      },
      k8sOpts,
    );
    for (const namespace of args.releaseNamespaces) {
      const role = new k8s.rbac.v1.Role(
        `${name}-${namespace}`,
        {
          metadata: { name: "platform:helm-release-reader", namespace },
          rules: [...RELEASE_RECORD_READS],
        },
        k8sOpts,
      );
      new k8s.rbac.v1.RoleBinding(
        `${name}-${namespace}`,
        {
          metadata: { name: "platform:helm-release-reader", namespace },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "Role",
            name: role.metadata.name,
          },
          subjects,
        },
        k8sOpts,
      );
    }
    this.registerOutputs({});
  }
}
