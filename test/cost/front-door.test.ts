import { estimateCost } from "../../cost/estimate";
import type { CostedResource } from "../../cost/estimate";
import { HOURS_PER_MONTH } from "../../cost/prices";
import { lcuPerHour } from "../../cost/pricers-front-door";
import { res } from "../policy/fixtures";

const cents = (n: number) => Math.round(n * 100) / 100;

const subnets = ["a", "b", "c"].map((az) =>
  res("aws:ec2/subnet:Subnet", `public-${az}`, { tags: { "kubernetes.io/role/elb": "1" } }),
);
const params = (name: string, scheme: string) =>
  res("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", name, { spec: { scheme } });
const ingresses = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    res("kubernetes:networking.k8s.io/v1:Ingress", `svc-${i}-ingress`, {
      spec: { ingressClassName: "platform-prod-internet" },
    }),
  );
const nlbs = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    res("kubernetes:core/v1:Service", `svc-${i}-service`, {
      metadata: {
        annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
      },
      spec: { type: "LoadBalancer" },
    }),
  );
const estimate = (stack: CostedResource[], albRequestsPerSecond?: number) =>
  estimateCost(stack, { region: "us-east-1", albRequestsPerSecond });

describe("the shared ALB's cost", () => {
  it("prices an internet-facing ALB: hours plus a public IPv4 address per AZ", () => {
    const e = estimate([...subnets, params("internet", "internet-facing")]);
    expect(e.lineItems.map((i) => [i.description, cents(i.monthly)])).toEqual([
      [
        "Application Load Balancer (internet-facing, shared by every HTTP service of the scheme)",
        cents(0.0225 * HOURS_PER_MONTH),
      ],
      ["3 public IPv4 addresses, one per AZ", cents(3 * 0.005 * HOURS_PER_MONTH)],
    ]);
  });

  it("adds LCUs from the configured request rate, one new connection a request", () => {
    expect(lcuPerHour(50)).toBe(2);
    const lcu = estimate([...subnets, params("internet", "internet-facing")], 50).lineItems.find(
      (i) => i.unit === "LCU-hour",
    );
    expect(cents(lcu!.monthly)).toBe(cents(2 * 0.008 * HOURS_PER_MONTH));
  });

  it("gives an internal ALB no public addresses", () => {
    const e = estimate([...subnets, params("internal", "internal")]);
    expect(e.lineItems.map((i) => i.unit)).toEqual(["hour"]);
  });

  it("costs fifty services one ALB, not fifty NLBs", () => {
    const shared = estimate([...subnets, params("internet", "internet-facing"), ...ingresses(50)]);
    const perService = estimate([...subnets, ...nlbs(50)]);
    expect(cents(shared.total)).toBe(cents((0.0225 + 3 * 0.005) * HOURS_PER_MONTH));
    expect(cents(perService.total)).toBe(cents(50 * (0.0225 + 3 * 0.005) * HOURS_PER_MONTH));
    expect(
      cents(estimate([...subnets, params("internet", "internet-facing"), ...ingresses(1)]).total),
    ).toBe(cents(shared.total));
  });

  it("prices the WAF web ACL, its rule groups and the requests it inspects", () => {
    const acl = res("aws:wafv2/webAcl:WebAcl", "acl", { rules: [{}, {}, {}] });
    const e = estimate([acl], 10);
    expect(e.lineItems.map((i) => [i.description, cents(i.monthly)])).toEqual([
      ["WAF web ACL", 5],
      ["3 managed rule groups", 3],
      [
        "10 requests/s inspected (frontDoor.requestsPerSecond)",
        cents((10 * 3600 * HOURS_PER_MONTH * 0.6) / 1e6),
      ],
    ]);
  });

  it("says what it leaves out: free alias queries, LCUs without a rate", () => {
    const notes = estimate([params("internet", "internet-facing")]).assumptions.notes;
    expect(notes.join("\n")).toContain(
      "Route 53 alias queries to the ALB and ACM public certificates are free",
    );
    expect(notes.join("\n")).toContain("LCUs) not included: set frontDoor.requestsPerSecond");
  });
});
