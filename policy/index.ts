import * as pulumi from "@pulumi/pulumi";
import { PolicyPack } from "@pulumi/policy";
import { toPolicies } from "./pack";
import { RULES } from "./rules";

/**
 * Whether the stack under preview is production, from its `production` config key: the
 * engine gives policy packs the stack's config. Rules such as "no world-open API endpoint" are
 * mandatory there and advisory elsewhere, exactly as `npm run plan` reports them.
 */
function isProduction(): boolean {
  try {
    return new pulumi.Config().getBoolean("production") ?? false;
  } catch {
    // An engine too old to pass config to policy packs: treat the stack as non-production.
    return false;
  }
}

// `pulumi preview --policy-pack policy`: the same rule functions the offline plan runs.
new PolicyPack("platform-policies", {
  description: "The platform's security, reliability and cost rules (policy/rules)",
  policies: toPolicies(RULES, isProduction()),
});
