import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";
import { toPolicies } from "./pack";
import { RULES } from "./rules";

/**
 * Whether the stack under preview is production, from its `production` config key: the CLI
 * starts a Node.js policy pack with the stack's config in `PULUMI_CONFIG` and its project in
 * `PULUMI_NODEJS_PROJECT` (analyzer_plugin.go, constructEnv), which `pulumi.Config` reads. Rules
 * such as "no world-open API endpoint" are mandatory there and advisory elsewhere, exactly as
 * `npm run plan` reports them. A CLI that passes no config reads as non-production.
 */
function isProduction(): boolean {
  try {
    return new pulumi.Config().getBoolean("production") ?? false;
  } catch {
    // Not "true" or "false": config/schema.ts rejects that before any deploy.
    return false;
  }
}

// `pulumi preview --policy-pack policy`: the same rule functions the offline plan runs.
new PolicyPack("platform-policies", {
  description: "The platform's security, reliability and cost rules (policy/rules)",
  policies: toPolicies(RULES, isProduction()),
});
