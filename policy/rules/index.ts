import { ecrRules } from "./ecr";
import { eksRules } from "./eks";
import { iamRules } from "./iam";
import { karpenterRules } from "./karpenter";
import { kubernetesRules } from "./kubernetes";
import { loadBalancingRules } from "./load-balancing";
import { networkRules } from "./network";
import { nodeRules } from "./nodes";
import { secretsRules } from "./secrets";
import { Enforcement, Finding, PolicySubject, Rule, Severity, enforcementOf } from "./types";

export * from "./types";

/** Every rule, in the order reports list them: registry, network, cluster, nodes, IAM, workloads. */
export const RULES: readonly Rule[] = [
  ...ecrRules,
  ...networkRules,
  ...eksRules,
  ...nodeRules,
  ...karpenterRules,
  ...iamRules,
  ...secretsRules,
  ...kubernetesRules,
  ...loadBalancingRules,
];

const SEVERITY_ORDER: readonly Severity[] = [Severity.High, Severity.Medium, Severity.Low];

/**
 * Runs every rule over a stack's resources: each rule sees the resources of its types, and
 * stack-scoped rules see the whole stack. Findings come sorted by severity, rule and resource.
 */
export function evaluate(
  resources: readonly PolicySubject[],
  context: { readonly production: boolean },
  rules: readonly Rule[] = RULES,
): Finding[] {
  const stack = { production: context.production, resources };
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const resource of resources) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      const reason = rule.check(resource, stack);
      if (reason === undefined) continue;
      findings.push({
        ruleId: rule.id,
        description: rule.description,
        severity: rule.severity,
        enforcement: enforcementOf(rule, context.production),
        resource: { type: resource.type, name: resource.name, urn: resource.urn },
        reason,
      });
    }
  }
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.resource.name.localeCompare(b.resource.name),
  );
}

/** True when a finding would fail `pulumi preview --policy-pack policy`. */
export function isBlocking(finding: Finding): boolean {
  return finding.enforcement === Enforcement.Mandatory;
}
