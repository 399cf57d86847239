import type { CostedResource, Line, PricingContext, Pricer } from "./model";

// The shared ALB (one per scheme, whatever the number of services behind it) and its WAF.

const PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";

/** New connections a second one LCU covers (ALB pricing page). */
export const NEW_CONNECTIONS_PER_LCU = 25;
/** Seconds in the cost model's month of 730 hours. */
const SECONDS_PER_HOUR = 3600;

const spec = (r: CostedResource): Record<string, unknown> =>
  (r.inputs.spec ?? {}) as Record<string, unknown>;

/** The public subnets an internet-facing ALB spans (its nodes take an IPv4 address each). */
function publicAzs(ctx: PricingContext): number {
  const tagged = ctx.resources.filter(
    (s) =>
      s.type === "aws:ec2/subnet:Subnet" &&
      "kubernetes.io/role/elb" in ((s.inputs.tags ?? {}) as Record<string, unknown>),
  ).length;
  return tagged > 0 ? tagged : (ctx.assumptions.azCount ?? 2);
}

/**
 * LCUs an hour for a request rate: the new-connection dimension, one connection a request (the
 * worst case; browsers and keep-alive clients reuse connections, so real usage is lower).
 */
export function lcuPerHour(requestsPerSecond: number): number {
  return requestsPerSecond / NEW_CONNECTIONS_PER_LCU;
}

/** One ALB per IngressClassParams: hours, public IPv4 per AZ, and LCUs from the request rate. */
const sharedAlb: Pricer = (r, ctx) => {
  const internet = spec(r).scheme === "internet-facing";
  const albs = ctx.resources.filter((x) => x.type === PARAMS).length;
  const lines: Line[] = [
    {
      description: `Application Load Balancer (${internet ? "internet-facing" : "internal"}, shared by every HTTP service of the scheme)`,
      unitPrice: ctx.prices.alb.perHour,
      quantity: ctx.hours,
      unit: "hour",
    },
  ];
  if (internet) {
    const azs = publicAzs(ctx);
    lines.push({
      description: `${azs} public IPv4 addresses, one per AZ`,
      unitPrice: ctx.prices.publicIpv4PerHour,
      quantity: azs * ctx.hours,
      unit: "address-hour",
    });
  }
  const rps = ctx.assumptions.albRequestsPerSecond;
  if (rps !== undefined && rps > 0) {
    const share = rps / albs;
    lines.push({
      description: `${share} requests/s (frontDoor.requestsPerSecond${albs > 1 ? ` split over ${albs} ALBs` : ""}), one new connection each`,
      unitPrice: ctx.prices.alb.perLcuHour,
      quantity: lcuPerHour(share) * ctx.hours,
      unit: "LCU-hour",
    });
  }
  return lines;
};

/** The WAF web ACL: the ACL, each managed rule group, and the requests it inspects. */
const webAcl: Pricer = (r, ctx) => {
  const rules = Array.isArray(r.inputs.rules) ? r.inputs.rules.length : 0;
  const lines: Line[] = [
    {
      description: "WAF web ACL",
      unitPrice: ctx.prices.waf.webAclPerMonth,
      quantity: 1,
      unit: "month",
    },
    {
      description: `${rules} managed rule groups`,
      unitPrice: ctx.prices.waf.rulePerMonth,
      quantity: rules,
      unit: "rule-month",
    },
  ];
  const rps = ctx.assumptions.albRequestsPerSecond;
  if (rps !== undefined && rps > 0) {
    lines.push({
      description: `${rps} requests/s inspected (frontDoor.requestsPerSecond)`,
      unitPrice: ctx.prices.waf.perMillionRequests,
      quantity: (rps * SECONDS_PER_HOUR * ctx.hours) / 1e6,
      unit: "million requests",
    });
  }
  return lines;
};

/** The front door's pricers, by resource type. */
export const FRONT_DOOR_PRICERS: Readonly<Record<string, Pricer>> = {
  [PARAMS]: sharedAlb,
  [WEB_ACL]: webAcl,
};

/** What the front door's estimate leaves out. */
export function frontDoorNotes(ctx: PricingContext): string[] {
  const albs = ctx.resources.filter((r) => r.type === PARAMS).length;
  if (albs === 0) return [];
  const notes = [
    "Route 53 alias queries to the ALB and ACM public certificates are free; the hosted zone itself ($0.50/month) is yours, not the stack's.",
  ];
  if ((ctx.assumptions.albRequestsPerSecond ?? 0) === 0) {
    notes.push("ALB capacity units (LCUs) not included: set frontDoor.requestsPerSecond.");
  }
  if (ctx.resources.some((r) => r.type === "aws:s3/bucket:Bucket")) {
    notes.push(
      "ALB access-log storage in S3 not included: it grows with traffic until the lifecycle rule expires it.",
    );
  }
  return notes;
}
