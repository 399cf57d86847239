import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { PolicySubject, Rule, enforcementOf } from "./rules";
import { isUnknownValueError } from "./rules/util";

/** A resource being validated, as the rules see it. */
export function subjectOfResource(args: ResourceValidationArgs): PolicySubject {
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    parent: args.opts.parent,
    inputs: args.props,
    options: { protect: args.opts.protect },
  };
}

/** A resource of the stack, as the rules see it: its dependencies become URNs. */
export function subjectOfStackResource(r: PolicyResource): PolicySubject {
  const deps = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    parent: r.parent?.urn,
    inputs: r.props,
    options: { protect: r.opts.protect, dependencies: [...new Set(deps.map((d) => d.urn))] },
  };
}

/**
 * The `@pulumi/policy` policies for a set of rules: a `validateResource` policy per
 * resource-scoped rule and a `validateStack` policy per stack-scoped one, each calling the
 * rule's own `check`, at the enforcement level the rule has in this stack.
 */
export function toPolicies(
  rules: readonly Rule[],
  production: boolean,
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return rules.map((rule) => {
    const base = {
      name: rule.id,
      description: rule.description,
      enforcementLevel: enforcementOf(rule, production),
      severity: rule.severity,
    };
    if (rule.scope === "resource") {
      return {
        ...base,
        validateResource: (args, report) => {
          if (!rule.resourceTypes.includes(args.type)) return;
          const reason = rule.check(subjectOfResource(args), { production });
          if (reason !== undefined) report(reason);
        },
      } satisfies ResourceValidationPolicy;
    }
    return {
      ...base,
      validateStack: (args, report) => {
        const resources = args.resources.map(subjectOfStackResource);
        let unknown: Error | undefined;
        for (const r of resources) {
          if (!rule.resourceTypes.includes(r.type)) continue;
          try {
            const reason = rule.check(r, { production, resources });
            if (reason !== undefined) report(reason, r.urn);
          } catch (error) {
            // A value the preview does not know yet: check the other resources first, then let
            // @pulumi/policy report this policy as "can't run during preview" (advisory).
            if (!isUnknownValueError(error)) throw error;
            unknown ??= error;
          }
        }
        if (unknown !== undefined) throw unknown;
      },
    } satisfies StackValidationPolicy;
  });
}
