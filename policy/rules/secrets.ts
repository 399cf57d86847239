import { SECRET_ARN } from "../../lib/service-secrets";
import { Enforcement, Rule, Severity } from "./types";
import { POLICY_TYPES, Statement, documentsOf, list, statements } from "./util";

/** True when an IAM action pattern (`*` and `?` wildcards, any case) covers `action`. */
function covers(pattern: unknown, action: string): boolean {
  if (typeof pattern !== "string") return false;
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(action);
}

/** True when an Allow statement grants `action`: by `Action`, or by a `NotAction` that spares it. */
const grants = (s: Statement, action: string) =>
  s.Effect === "Allow" &&
  (list(s.Action).some((a) => covers(a, action)) ||
    (s.NotAction !== undefined && !list(s.NotAction).some((a) => covers(a, action))));

/**
 * Where a policy lets a principal read secret values, every resource must be one secret's
 * full ARN; and where the same document lets it decrypt, only named keys through Secrets
 * Manager. Returns the reasons, empty when the document complies.
 */
export function secretReadProblems(document: unknown): string[] {
  const all = statements(document);
  const reading = all.filter(
    (s) =>
      grants(s, "secretsmanager:GetSecretValue") || grants(s, "secretsmanager:BatchGetSecretValue"),
  );
  const problems: string[] = [];
  for (const s of reading) {
    const notResource = (s as { NotResource?: unknown }).NotResource;
    const wide = list(s.Resource).filter((r) => typeof r !== "string" || !SECRET_ARN.test(r));
    if (wide.length > 0 || notResource !== undefined || list(s.Resource).length === 0) {
      problems.push(
        `statement ${s.Sid ?? "(no Sid)"} reads secrets beyond exact secret ARNs: ${JSON.stringify(wide.length > 0 ? wide : (notResource ?? "no Resource"))}`,
      );
    }
  }
  if (reading.length === 0) return problems;
  for (const s of all.filter((st) => grants(st, "kms:Decrypt"))) {
    const keys = list(s.Resource);
    // kms:ViaService naming Secrets Manager (`secretsmanager.<region>.amazonaws.com`).
    const viaService = /"kms:ViaService":\[?"secretsmanager\./.test(
      JSON.stringify(s.Condition ?? {}),
    );
    if (keys.some((k) => typeof k !== "string" || k.includes("*")) || !viaService) {
      problems.push(
        `statement ${s.Sid ?? "(no Sid)"} decrypts beyond named keys used through Secrets Manager (kms:ViaService)`,
      );
    }
  }
  return problems;
}

/** Rules for access to Secrets Manager. */
export const secretsRules: readonly Rule[] = [
  {
    id: "secrets-read-exact-arns",
    description:
      "IAM policies that read secret values (secretsmanager:GetSecretValue) name each secret by its full ARN, never a wildcard, and decrypt only with named KMS keys through Secrets Manager",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [...POLICY_TYPES],
    scope: "resource",
    check(r) {
      const problems = documentsOf(r).flatMap(secretReadProblems);
      return problems.length === 0 ? undefined : problems.join("; ");
    },
  },
];
