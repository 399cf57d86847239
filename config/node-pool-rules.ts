import { INSTANCE_TYPES } from "../lib/instance-types";
import { NAME_LIMITS, NameContext, karpenterName, namePrefix } from "../lib/naming";
import { allowedInstanceTypes } from "../lib/node-pools";
import { ConfigProblem, showValue } from "./errors";
import type { ProjectSettings } from "./schema";

/** The most of a production NodePool's nodes Karpenter may disrupt at once, in percent. */
export const PRODUCTION_MAX_DISRUPTION_PERCENT = 20;
/** Karpenter controller replicas in production: one can be drained while the other works. */
export const PRODUCTION_MIN_KARPENTER_REPLICAS = 2;

/** The Karpenter controller role's name (components/platform/karpenter-iam.ts). */
export function karpenterRoleName(ctx: NameContext): string {
  return karpenterName(namePrefix(ctx));
}

/**
 * Rules over the NodePools that relate fields or keys: each pool must allow an instance type the
 * cost model can price, and its limits must hold at least one of its largest instances (or
 * Karpenter could never launch a node). In production, pools disrupt at most
 * {@link PRODUCTION_MAX_DISRUPTION_PERCENT}% of their nodes at once and the controller runs twice.
 */
export function nodePoolProblems(
  s: Partial<ProjectSettings>,
  ctx: NameContext,
  key: (path: string) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, rule: string, value: unknown) =>
    problems.push({ key: key(path), rule, value: showValue(value) });

  for (const [name, pool] of Object.entries(s.nodePools ?? {})) {
    const types = allowedInstanceTypes(pool);
    if (types.length === 0) {
      add(
        `nodePools.${name}`,
        "must allow at least one instance type of lib/instance-types.ts (widen architectures, instanceCategories, instanceFamilies or maxInstanceVcpu, or add the type there with a price)",
        {
          architectures: pool.architectures,
          instanceCategories: pool.instanceCategories,
          instanceFamilies: pool.instanceFamilies,
          maxInstanceVcpu: pool.maxInstanceVcpu,
        },
      );
      continue;
    }
    const vcpu = Math.max(...types.map((t) => INSTANCE_TYPES[t]!.vcpu));
    const gib = Math.max(...types.map((t) => INSTANCE_TYPES[t]!.memoryGiB));
    if (pool.cpuLimit < vcpu) {
      add(
        `nodePools.${name}.cpuLimit`,
        `must be at least the ${vcpu} vCPUs of the largest instance the pool allows, or Karpenter cannot launch it`,
        pool.cpuLimit,
      );
    }
    if (pool.memoryLimitGiB < gib) {
      add(
        `nodePools.${name}.memoryLimitGiB`,
        `must be at least the ${gib} GiB of the largest instance the pool allows, or Karpenter cannot launch it`,
        pool.memoryLimitGiB,
      );
    }
    if (s.production === true && pool.disruptionBudgetPercent > PRODUCTION_MAX_DISRUPTION_PERCENT) {
      add(
        `nodePools.${name}.disruptionBudgetPercent`,
        `must be at most ${PRODUCTION_MAX_DISRUPTION_PERCENT} in a production stack, so consolidation and expiry never take more than a fifth of the nodes at once`,
        pool.disruptionBudgetPercent,
      );
    }
  }
  if (
    s.production === true &&
    s.karpenterReplicas !== undefined &&
    s.karpenterReplicas < PRODUCTION_MIN_KARPENTER_REPLICAS
  ) {
    add(
      "karpenterReplicas",
      `must be at least ${PRODUCTION_MIN_KARPENTER_REPLICAS} in a production stack, so draining a system node never stops node provisioning`,
      s.karpenterReplicas,
    );
  }
  const role = karpenterRoleName(ctx);
  if (role.length > NAME_LIMITS.iamRole) {
    add(
      "(stack name)",
      `makes the Karpenter controller's IAM role name "${role}" longer than ${NAME_LIMITS.iamRole} characters`,
      ctx.stack,
    );
  }
  return problems;
}
