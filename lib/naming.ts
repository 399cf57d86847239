/**
 * AWS name length limits that physical names derived here must respect.
 * Pulumi auto-naming appends `-` and 7 random characters, so auto-named resources get 8 fewer.
 */
export const NAME_LIMITS = {
  /** EKS cluster names: 1-100 characters. */
  eksCluster: 100,
  /** IAM role names: 64 characters, so 56 before Pulumi's random suffix. */
  iamRole: 64 - 8,
  /** ECR repository names: 256 characters. */
  ecrRepository: 256,
  /** Kubernetes namespace and Service names: a DNS-1123 label, 63 characters. */
  kubernetesName: 63,
  /** CloudWatch log group names: 512 characters. */
  logGroup: 512,
} as const;

/** The project and stack a name is derived from. */
export interface NameContext {
  readonly project: string;
  readonly stack: string;
}

/**
 * The one prefix every physical name starts with: `<project>-<stack>`, lower case.
 * Renaming the project or the stack changes it, which replaces named resources: review it.
 */
export function namePrefix(ctx: NameContext): string {
  return `${ctx.project}-${ctx.stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

/** The EKS cluster name of a stack; fixed, because kubeconfigs and IAM policies refer to it. */
export function clusterName(ctx: NameContext): string {
  return namePrefix(ctx);
}

/** The ECR repository name of a stack's app image: `<project>-<stack>/<image>`. */
export function repositoryName(ctx: NameContext, image: string): string {
  return `${namePrefix(ctx)}/${image}`;
}

/**
 * The longest IAM role logical name this project derives for a stack (node group roles
 * carry the group's name), used to validate config before anything is created.
 */
export function nodeRoleName(ctx: NameContext, nodeGroup: string): string {
  return `${namePrefix(ctx)}-ng-${nodeGroup}`;
}

/** A service's role logical name (Pod Identity), derived from its name. */
export function serviceRoleName(ctx: NameContext, service: string): string {
  return `${namePrefix(ctx)}-svc-${service}`;
}

/**
 * The name of the Karpenter controller's IAM role and interruption queue: `<prefix>-karpenter`.
 * One function, so the length check in config (config/node-pool-rules.ts) checks the real name.
 */
export function karpenterName(prefix: string): string {
  return `${prefix}-karpenter`;
}
