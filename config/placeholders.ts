// The SDK's modules, not its index: the index loads the Automation API (npm's arborist and
// pacote), ~0.7 s that a config error would otherwise wait for (README, "How long a preview takes").
import { warn } from "@pulumi/pulumi/log";
import { isDryRun } from "@pulumi/pulumi/runtime/settings";
import { Cidr, contains, parseCidr } from "../lib/cidr";
import { ConfigError, ConfigProblem, formatProblem, showValue } from "./errors";
import type { Config } from "./load";

/**
 * The documentation address ranges of RFC 5737: no host, runner or office is ever in them, so a
 * stack file holding one holds a value nobody replaced yet.
 */
export const DOCUMENTATION_RANGES: readonly string[] = [
  "192.0.2.0/24",
  "198.51.100.0/24",
  "203.0.113.0/24",
];
/** Domains reserved for documentation (RFC 2606, RFC 6761): `example.com` and its kin. */
const DOCUMENTATION_DOMAIN =
  /(^|[.@/])(example\.(com|org|net)|[a-z0-9-]+\.(example|invalid))(\.?$|[:/])/i;
/** The account number AWS documentation uses in every example ARN. */
export const DOCUMENTATION_ACCOUNT = "123456789012";

/** What to put in place of a placeholder, by config key (the first path segment). */
const WHAT_TO_PUT: Readonly<Record<string, string>> = {
  publicAccessCidrs: "the egress ranges of your VPN or office and of the CI runners that deploy",
  access: "the ARNs of your real roles (the bootstrap project's outputs for the CI roles)",
  kubeconfigRoleArn: "a role in your account that is a cluster admin",
  ecrKmsKeyArn: "a KMS key in your account",
  appImage: "your image in your registry, by digest",
  frontDoor: "your domain and the id of its public Route 53 hosted zone",
};

/** Why a single text value is a placeholder, or undefined when it is not one. */
export function placeholderReason(text: string): string | undefined {
  const cidr = parseCidr(text.includes("/") ? text : `${text}/32`);
  if (typeof cidr !== "string") {
    const range = DOCUMENTATION_RANGES.find((r) => contains(parseCidr(r) as Cidr, cidr));
    if (range) return `is in the documentation range ${range} (RFC 5737), where no real host is`;
  }
  if (DOCUMENTATION_DOMAIN.test(text)) {
    return "names a documentation domain (example.com, .org, .net; RFC 2606), not one you own";
  }
  if (/(^|[^A-Za-z0-9])[A-Z0-9]*EXAMPLE([^A-Za-z]|$)/.test(text)) {
    return "is an AWS documentation example id (…EXAMPLE), not one of yours";
  }
  if (new RegExp(`(^|[^0-9])${DOCUMENTATION_ACCOUNT}([^0-9]|$)`).test(text)) {
    return `names the documentation account ${DOCUMENTATION_ACCOUNT}, not yours`;
  }
  return undefined;
}

/**
 * Every placeholder in a stack's config, one problem each: the key with its path, why it is
 * a placeholder and what to put there. Walks every string of every key, so a placeholder
 * added to a stack file later is caught without a new rule.
 */
export function placeholderProblems(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const visit = (value: unknown, path: string, top: string) => {
    if (typeof value === "string") {
      const reason = placeholderReason(value);
      if (reason) {
        const what = WHAT_TO_PUT[top] ?? "a real value";
        problems.push({ key: path, rule: `${reason}: put ${what} there`, value: showValue(value) });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`, top));
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`, top);
    }
  };
  for (const [key, value] of Object.entries(config)) {
    if (key === "project" || key === "stack" || key === "region") continue;
    visit(value, `${config.project}:${key}`, key);
  }
  return problems.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Lets a preview run with placeholders (tests, `npm run plan` and pull-request previews use
 * the shipped stack files as they are) and prints them as one warning; refuses a real update
 * with one {@link ConfigError} before any resource is registered, since it would create AWS
 * resources that cannot work (an API endpoint no runner can reach, say). The mode comes from
 * the engine: `pulumi.runtime.isDryRun()`.
 */
export function refusePlaceholders(config: Config): void {
  const problems = placeholderProblems(config);
  if (problems.length === 0) return;
  if (!isDryRun()) throw new ConfigError(config.stack, problems);
  void warn(
    `Stack "${config.stack}" holds ${problems.length} placeholder value(s); this preview goes on, \`pulumi up\` refuses them:\n` +
      problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
  );
}
