import { STATEFUL_TYPES } from "../../lib/protection";
import { Enforcement, MANDATORY_IN_PRODUCTION, Rule, Severity } from "./types";
import { POLICY_TYPES, Statement, documentsOf, field, list, statements } from "./util";

const KMS_KEY = "aws:kms/key:Key";

const allows = (s: Statement) => s.Effect === "Allow";

/** True for `"*"`, `{"AWS": "*"}` or a list holding `"*"`: anyone, in any account. */
function anyPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal !== null && typeof principal === "object") {
    return list((principal as Record<string, unknown>).AWS).includes("*");
  }
  return false;
}

/** Rules for KMS keys, IAM policies and stateful resources. */
export const iamRules: readonly Rule[] = [
  {
    id: "kms-key-rotation",
    description: "Customer KMS keys rotate their key material every year",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [KMS_KEY],
    scope: "resource",
    check(r) {
      return field(r, "enableKeyRotation") === true ? undefined : "enableKeyRotation is not true";
    },
  },
  {
    id: "kms-no-wildcard-principal",
    description:
      'KMS key policies never allow a wildcard principal ("*" or {"AWS": "*"}) without a condition that narrows it',
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [KMS_KEY],
    scope: "resource",
    check(r) {
      // Named by Sid, or by position in the whole policy so the statement can be found.
      const open = statements(field(r, "policy")).flatMap((s, i) =>
        allows(s) && anyPrincipal(s.Principal) && s.Condition === undefined
          ? [s.Sid ?? `#${i}`]
          : [],
      );
      return open.length === 0
        ? undefined
        : `statement(s) ${open.join(", ")} allow any principal with no condition`;
    },
  },
  {
    id: "iam-no-wildcard-admin",
    description: 'IAM policies never allow "Action": "*" on "Resource": "*" (full admin)',
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [...POLICY_TYPES],
    scope: "resource",
    check(r) {
      const admin = documentsOf(r)
        .flatMap(statements)
        .filter((s) => allows(s) && list(s.Action).includes("*") && list(s.Resource).includes("*"));
      return admin.length === 0 ? undefined : 'a statement allows "Action": "*" on "Resource": "*"';
    },
  },
  {
    id: "stateful-resources-protected",
    description:
      "Stateful resources (lib/protection.ts) carry Pulumi's protect flag, so a delete or replace fails instead of losing data (mandatory in production; dev stays easy to destroy)",
    severity: Severity.Medium,
    enforcement: MANDATORY_IN_PRODUCTION,
    resourceTypes: STATEFUL_TYPES,
    scope: "resource",
    check(r) {
      return r.options?.protect === true ? undefined : "protect is not set";
    },
  },
];
