import { PolicySubject } from "./types";

/** The value at a dotted path of a resource's inputs (`"vpcConfig.publicAccessCidrs"`). */
export function field(resource: PolicySubject, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (v, k) =>
        v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined,
      resource.inputs,
    );
}

/** Objects in an input list, ignoring anything else (unknowns in a preview). */
export function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object")
    : [];
}

/** Strings in an input list. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** True for `true` and `"true"`: some AWS inputs (launch template EBS, ENIs) are strings. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** The resources of one type. */
export function ofType(resources: readonly PolicySubject[], type: string): PolicySubject[] {
  return resources.filter((r) => r.type === type);
}

/** The CIDR blocks that mean "anyone on the internet". */
export const WORLD_CIDRS = ["0.0.0.0/0", "::/0"] as const;

/** True when a list of CIDR blocks includes the whole internet. */
export function opensToWorld(cidrs: readonly string[]): boolean {
  return cidrs.some((c) => (WORLD_CIDRS as readonly string[]).includes(c));
}

/**
 * True when `from` refers to `to`: it depends on it (an input came from it, or `dependsOn`),
 * or `value` is one of `to`'s identifiers (its physical name, or the id the mocks give it).
 * Dependencies are what the engine and the policy pack both see; names cover literal inputs.
 */
export function refersTo(from: PolicySubject, to: PolicySubject, value?: unknown): boolean {
  if (from.options?.dependencies?.includes(to.urn)) return true;
  if (typeof value !== "string") return false;
  const ids = [to.name, `${to.name}-id`, to.inputs.name, to.inputs.arn].filter(
    (v): v is string => typeof v === "string",
  );
  return ids.includes(value);
}

/**
 * True for the error `@pulumi/policy` throws when a policy reads an input a preview does not
 * know yet (the id of a resource still to be created); the library then reports the policy as
 * "can't run during preview", an advisory.
 */
export function isUnknownValueError(error: unknown): error is Error {
  return error instanceof Error && error.constructor.name === "UnknownValueError";
}

/**
 * {@link refersTo} through the input at `path` of `from` (`"vpcId"`, or a list such as
 * `"vpcConfig.securityGroupIds"`), read only when the dependencies do not answer. In a real
 * preview the id of a resource still to be created is unknown, and reading it would stop the
 * whole stack policy; such an id names nothing that the dependencies do not already record.
 */
export function linksTo(from: PolicySubject, to: PolicySubject, path: string): boolean {
  if (refersTo(from, to)) return true;
  try {
    const value = field(from, path);
    return Array.isArray(value)
      ? strings(value).some((v) => refersTo(from, to, v))
      : refersTo(from, to, value);
  } catch (error) {
    if (isUnknownValueError(error)) return false;
    throw error;
  }
}

/** One statement of an IAM or KMS policy document. */
export interface Statement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
  readonly Sid?: string;
}

/** The statements of a policy document given as JSON text or an object; [] if unreadable. */
export function statements(document: unknown): Statement[] {
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  if (doc === null || typeof doc !== "object") return [];
  const s = (doc as { Statement?: unknown }).Statement;
  return (Array.isArray(s) ? s : s === undefined ? [] : [s]) as Statement[];
}

/** A policy element that may be a string or a list, as a list. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Kubernetes object identity: `namespace/name`, `default` when no namespace is set. */
export function k8sName(resource: PolicySubject): string {
  const ns = field(resource, "metadata.namespace");
  const name = field(resource, "metadata.name");
  return `${typeof ns === "string" ? ns : "default"}/${typeof name === "string" ? name : resource.name}`;
}

/** A Kubernetes object's namespace, `default` when unset. */
export function namespaceOf(resource: PolicySubject): string {
  const ns = field(resource, "metadata.namespace");
  return typeof ns === "string" ? ns : "default";
}

/** The resource types that hold IAM policy documents: policies, and roles' inline policies. */
export const POLICY_TYPES = [
  "aws:iam/policy:Policy",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/role:Role",
] as const;

/** The policy documents of a resource: `policy`, or a role's inline policies. */
export function documentsOf(r: PolicySubject): unknown[] {
  if (r.type === "aws:iam/role:Role") {
    return objects(field(r, "inlinePolicies")).map((p) => p.policy);
  }
  return [field(r, "policy")];
}
