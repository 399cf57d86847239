/** How bad a violation is. */
export const Severity = { High: "high", Medium: "medium", Low: "low" } as const;
/** A rule's severity. */
export type Severity = (typeof Severity)[keyof typeof Severity];

/** What a violation does: `mandatory` fails the preview (and the plan), `advisory` warns. */
export const Enforcement = { Mandatory: "mandatory", Advisory: "advisory" } as const;
/** An enforcement level, as `@pulumi/policy` names it. */
export type Enforcement = (typeof Enforcement)[keyof typeof Enforcement];

/** A fixed level, or one that depends on whether the stack is production. */
export type EnforcementPolicy =
  Enforcement | { readonly production: Enforcement; readonly otherwise: Enforcement };

/** Mandatory in a production stack, advisory elsewhere: what dev may knowingly trade away. */
export const MANDATORY_IN_PRODUCTION: EnforcementPolicy = {
  production: Enforcement.Mandatory,
  otherwise: Enforcement.Advisory,
};

/**
 * A resource as the rules see it: its type token and inputs, plus where it sits. A
 * `RecordedResource` from the mocks is one; the policy pack builds one from `@pulumi/policy`'s
 * arguments, so both run the same checks.
 */
export interface PolicySubject {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The parent's URN; empty or absent at the top. */
  readonly parent?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly options?: {
    readonly protect?: boolean;
    /** URNs this resource depends on: `dependsOn` and the resources its inputs came from. */
    readonly dependencies?: readonly string[];
  };
}

/** What every rule may know about the stack. */
export interface ResourceContext {
  /** From the stack's `production` config key. */
  readonly production: boolean;
}

/** What a rule that relates resources knows: the stack's other resources too. */
export interface StackContext extends ResourceContext {
  readonly resources: readonly PolicySubject[];
}

interface RuleBase {
  /** Kebab-case, unique: the policy name in the pack and in findings. */
  readonly id: string;
  /** The requirement and, where sources disagree, why we chose it. */
  readonly description: string;
  readonly severity: Severity;
  readonly enforcement: EnforcementPolicy;
  /** The resource types it checks. */
  readonly resourceTypes: readonly string[];
}

/** A rule that needs only the resource itself: a `validateResource` policy in the pack. */
export interface ResourceRule extends RuleBase {
  readonly scope: "resource";
  /** The reason the resource fails the rule, or undefined when it passes. */
  check(resource: PolicySubject, context: ResourceContext): string | undefined;
}

/** A rule that relates resources ("a PDB for each Deployment"): a `validateStack` policy. */
export interface StackRule extends RuleBase {
  readonly scope: "stack";
  /** The reason the resource fails the rule, or undefined when it passes. */
  check(resource: PolicySubject, context: StackContext): string | undefined;
}

/** A policy rule: a pure function over recorded resources. */
export type Rule = ResourceRule | StackRule;

/** The level a rule enforces in a stack. */
export function enforcementOf(rule: Rule, production: boolean): Enforcement {
  const e = rule.enforcement;
  if (typeof e === "string") return e;
  return production ? e.production : e.otherwise;
}

/** One violation: which rule, which resource, why. */
export interface Finding {
  readonly ruleId: string;
  readonly description: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  readonly resource: { readonly type: string; readonly name: string; readonly urn: string };
  readonly reason: string;
}
