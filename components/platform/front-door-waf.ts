import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withName } from "../../lib/tags";

/**
 * The AWS managed rule groups of the web ACL, in evaluation order: the baseline (OWASP-style
 * common rules), known bad inputs (Log4j and similar) and Amazon's IP reputation list. Names
 * as in the AWS WAF developer guide, "AWS Managed Rules rule groups list"; each costs $1 a month.
 */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
] as const;

const visibility = (metricName: string) => ({
  cloudwatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/**
 * A regional WAFv2 web ACL for the ALBs: allow by default, block what the managed rule groups
 * match. The front door hands its ARN to the IngressClassParams (`wafv2AclArn`), and the
 * controller associates it with each ALB.
 */
export function webAcl(
  name: string,
  tags: Readonly<Record<string, string>>,
  opts: pulumi.CustomResourceOptions,
): aws.wafv2.WebAcl {
  return new aws.wafv2.WebAcl(
    name,
    {
      scope: "REGIONAL",
      description: "Shared ALB: AWS managed rule groups",
      defaultAction: { allow: {} },
      rules: MANAGED_RULE_GROUPS.map((group, priority) => ({
        name: group,
        priority,
        // `none` keeps each group's own block actions; `count` would only observe.
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
        visibilityConfig: visibility(group),
      })),
      visibilityConfig: visibility(name),
      tags: withName({ ...tags }, name),
    },
    opts,
  );
}
