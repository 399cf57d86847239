import { estimateCost } from "../../cost/estimate";
import type { CostedResource } from "../../cost/estimate";
import { HOURS_PER_MONTH, PRICES, pricesFor } from "../../cost/prices";
import { INSTANCE_TYPES } from "../../lib/instance-types";
import { compliantStack, res, withInput, without } from "../policy/fixtures";

const usEast1 = { region: "us-east-1" };
const cents = (n: number) => Math.round(n * 100) / 100;
const itemsOf = (stack: CostedResource[], name: string, a: object = usEast1) =>
  estimateCost(stack, { region: "us-east-1", ...a }).lineItems.filter(
    (i) => i.resource.name === name,
  );
const monthly = (stack: CostedResource[], name: string, a: object = usEast1) =>
  cents(itemsOf(stack, name, a).reduce((s, i) => s + i.monthly, 0));

const lbService = (scheme: "internet-facing" | "internal") =>
  res("kubernetes:core/v1:Service", "app-service", {
    metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme } },
    spec: { type: "LoadBalancer" },
  });

describe("the price table", () => {
  it.each(Object.keys(PRICES))(
    "prices every instance type a node group may use in %s",
    (region) => {
      const table = pricesFor(region);
      expect(Object.keys(INSTANCE_TYPES).filter((t) => !(t in table.ec2PerHour))).toEqual([]);
      for (const t of Object.keys(INSTANCE_TYPES)) expect(table.ec2PerHour[t]).toBeGreaterThan(0);
    },
  );

  it("says when and where its figures were checked", () => {
    const table = pricesFor("us-east-1");
    expect(table.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.sources.every((s) => s.url.startsWith("https://aws.amazon.com/"))).toBe(true);
  });

  it("holds the published us-east-1 figures", () => {
    const t = pricesFor("us-east-1");
    expect([t.eks.standardPerHour, t.eks.extendedPerHour]).toEqual([0.1, 0.6]);
    expect([t.natGateway.perHour, t.natGateway.perGb, t.publicIpv4PerHour]).toEqual([
      0.045, 0.045, 0.005,
    ]);
    expect([
      t.ec2PerHour["t3.medium"],
      t.ec2PerHour["t4g.medium"],
      t.ec2PerHour["m6i.large"],
      t.ec2PerHour["m7g.large"],
    ]).toEqual([0.0416, 0.0336, 0.096, 0.0816]);
    expect([t.ebsPerGbMonth.gp3, t.ecrStoragePerGbMonth, t.nlb.perHour, t.nlb.perLcuHour]).toEqual([
      0.08, 0.1, 0.0225, 0.006,
    ]);
    expect([
      t.cloudwatchLogs.ingestionPerGb,
      t.kmsKeyPerMonth,
      t.interfaceEndpoint.perAzHour,
    ]).toEqual([0.5, 1, 0.01]);
  });

  it("refuses a region it has no table for, naming the ones it has", () => {
    expect(() => pricesFor("eu-west-3")).toThrow(
      "no price table for region eu-west-3; known: us-east-1. Add one to cost/prices.ts",
    );
  });
});

describe("the cost estimate", () => {
  it("prices the EKS control plane by its upgrade policy", () => {
    expect(monthly(compliantStack(), "cluster")).toBe(73);
    expect(
      monthly(
        withInput(compliantStack(), "cluster", "upgradePolicy.supportType", "EXTENDED"),
        "cluster",
      ),
    ).toBe(438);
    expect(
      monthly(withInput(compliantStack(), "cluster", "upgradePolicy", undefined), "cluster"),
    ).toBe(438);
  });

  it("prices a node group at its desired size, first instance type, plus root volumes", () => {
    const items = itemsOf(compliantStack(), "nodes");
    expect(items.map((i) => [i.unitPrice, i.quantity, i.unit])).toEqual([
      [0.096, 3 * HOURS_PER_MONTH, "instance-hour"],
      [0.08, 150, "GB-month"],
    ]);
    expect(monthly(compliantStack(), "nodes")).toBe(cents(3 * 0.096 * 730 + 150 * 0.08));
  });

  it("takes the spot discount off SPOT node groups", () => {
    const spot = withInput(compliantStack(), "nodes", "capacityType", "SPOT");
    expect(itemsOf(spot, "nodes")[0]?.unitPrice).toBeCloseTo(0.096 * 0.35, 10);
    expect(itemsOf(spot, "nodes", { spotDiscount: 0.5 })[0]?.unitPrice).toBeCloseTo(0.048, 10);
    expect(itemsOf(spot, "nodes")[0]?.description).toContain("spot, 65% off on-demand");
  });

  it("names the other instance types but prices the first", () => {
    const mixed = withInput(compliantStack(), "nodes", "instanceTypes", [
      "t3.medium",
      "t3a.medium",
    ]);
    expect(itemsOf(mixed, "nodes")[0]?.unitPrice).toBe(0.0416);
    expect(itemsOf(mixed, "nodes")[0]?.description).toContain(
      "priced as the first of t3.medium, t3a.medium",
    );
  });

  it("refuses an instance type it has no price for, listing the known ones", () => {
    const unknown = withInput(compliantStack(), "nodes", "instanceTypes", ["x9.huge"]);
    expect(() => estimateCost(unknown, usEast1)).toThrow(
      `no us-east-1 price for instance type "x9.huge" (node group nodes); known: ${Object.keys(pricesFor("us-east-1").ec2PerHour).join(", ")}. Add it to cost/prices.ts`,
    );
  });

  it("prices each NAT gateway and each public address, and splits the configured traffic over the gateways", () => {
    const perAz = compliantStack();
    const single = without(without(perAz, "nat-1"), "nat-ip-1");
    expect(monthly(perAz, "nat-0")).toBe(cents(0.045 * 730));
    expect(monthly(perAz, "nat-ip-0")).toBe(cents(0.005 * 730));
    expect(monthly(perAz, "nat-0", { natTrafficGbPerMonth: 100 })).toBe(
      cents(0.045 * 730 + 50 * 0.045),
    );
    expect(monthly(single, "nat-0", { natTrafficGbPerMonth: 100 })).toBe(
      cents(0.045 * 730 + 100 * 0.045),
    );
    const nat = (s: CostedResource[]) =>
      cents(
        estimateCost(s, { region: "us-east-1", natTrafficGbPerMonth: 100 })
          .lineItems.filter((i) => /natGateway|eip/.test(i.resource.type))
          .reduce((sum, i) => sum + i.monthly, 0),
      );
    expect(nat(perAz)).toBe(cents(2 * (0.045 + 0.005) * 730 + 100 * 0.045));
    expect(nat(single)).toBe(cents((0.045 + 0.005) * 730 + 100 * 0.045));
  });

  it("leaves NAT traffic out, and says so, when the config gives none", () => {
    const estimate = estimateCost(compliantStack(), usEast1);
    expect(estimate.lineItems.some((i) => i.unit === "GB")).toBe(false);
    expect(estimate.assumptions.notes).toContain(
      "NAT data processing not included: set natTrafficGbPerMonth in the stack config.",
    );
  });

  it("prices an internet-facing NLB per LoadBalancer Service with one IPv4 address per public subnet", () => {
    const stack = [...compliantStack(), lbService("internet-facing")];
    expect(itemsOf(stack, "app-service").map((i) => [i.unitPrice, i.quantity])).toEqual([
      [0.0225, 730],
      [0.005, 2 * 730],
    ]);
    expect(monthly([...compliantStack(), lbService("internal")], "app-service")).toBe(
      cents(0.0225 * 730),
    );
    const clusterIp = withInput(
      [...compliantStack(), lbService("internal")],
      "app-service",
      "spec.type",
      "ClusterIP",
    );
    expect(itemsOf(clusterIp, "app-service")).toEqual([]);
  });

  it("adds NLB capacity units only when assumed", () => {
    const stack = [...compliantStack(), lbService("internal")];
    expect(monthly(stack, "app-service", { nlbLcuPerHour: 2 })).toBe(
      cents(0.0225 * 730 + 2 * 0.006 * 730),
    );
  });

  it("prices interface endpoints per AZ and gateway endpoints at nothing", () => {
    const endpoint = (name: string, type: string) =>
      res("aws:ec2/vpcEndpoint:VpcEndpoint", name, {
        serviceName: "com.amazonaws.us-east-1.ecr.api",
        vpcEndpointType: type,
        subnetIds: ["a", "b", "c"],
      });
    const stack = [
      ...compliantStack(),
      endpoint("ecr-api", "Interface"),
      endpoint("s3", "Gateway"),
    ];
    expect(monthly(stack, "ecr-api")).toBe(cents(3 * 0.01 * 730));
    expect(itemsOf(stack, "ecr-api")[0]?.description).toBe("interface endpoint ecr.api in 3 AZ(s)");
    expect(itemsOf(stack, "s3")).toEqual([]);
  });

  it("prices KMS keys by the month", () => {
    expect(monthly(compliantStack(), "secrets-key")).toBe(1);
  });

  it("prices log ingestion and image storage only when assumed", () => {
    expect(itemsOf(compliantStack(), "cluster-logs")).toEqual([]);
    expect(monthly(compliantStack(), "cluster-logs", { logIngestionGbPerGroup: 10 })).toBe(5);
    expect(monthly(compliantStack(), "repo", { ecrStorageGb: 20 })).toBe(2);
  });

  it("groups line items by top-level component, following parent URNs", () => {
    const vpc = res("platform:network:Vpc", "network", {}, { parent: "urn:stack" });
    const stack = [
      res("pulumi:pulumi:Stack", "stack", {}),
      vpc,
      ...compliantStack()
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => (r.name.startsWith("nat-") ? { ...r, parent: vpc.urn } : r)),
    ].map((r) => (r.name === "stack" ? { ...r, urn: "urn:stack" } : r));
    const estimate = estimateCost(stack, usEast1);
    const nat = estimate.subtotals.find((s) => s.component === "network (platform:network:Vpc)");
    expect(nat?.monthly).toBeCloseTo(2 * 0.045 * 730 + 2 * 0.005 * 730, 6);
    expect(estimate.subtotals.find((s) => s.component.startsWith("cluster "))?.monthly).toBeCloseTo(
      73,
      6,
    );
    expect(estimate.total).toBeCloseTo(
      estimate.subtotals.reduce((s, c) => s + c.monthly, 0),
      6,
    );
  });

  it("states its assumptions: region table and date, 730 hours, spot discount", () => {
    const { assumptions } = estimateCost(compliantStack(), usEast1);
    expect(assumptions).toMatchObject({
      region: "us-east-1",
      priceTableChecked: pricesFor("us-east-1").checked,
      hoursPerMonth: 730,
      spotDiscount: 0.65,
    });
    expect(assumptions.spotDiscountSource).toContain("instance-advisor");
  });
});

describe("volumes that Helm charts request", () => {
  const release = (values: unknown) =>
    res("kubernetes:helm.sh/v3:Release", "kube-prometheus-stack", {
      chart: "kube-prometheus-stack",
      values,
    });

  it("prices claim templates and enabled persistence as gp3, one volume per claim", () => {
    const values = {
      prometheus: {
        prometheusSpec: {
          storageSpec: {
            volumeClaimTemplate: { spec: { resources: { requests: { storage: "50Gi" } } } },
          },
        },
      },
      grafana: { persistence: { enabled: true, size: "10Gi" } },
      alertmanager: { persistence: { enabled: false, size: "99Gi" } },
    };
    const items = itemsOf([release(values)], "kube-prometheus-stack");
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ unitPrice: 0.08, quantity: 60, unit: "GB-month" });
    expect(cents(items[0]!.monthly)).toBe(4.8);
  });

  it("reads values behind Pulumi's secret marker (a chart given a password)", () => {
    const secret = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: { grafana: { adminPassword: "x", persistence: { enabled: true, size: "512Mi" } } },
    };
    expect(itemsOf([release(secret)], "kube-prometheus-stack")[0]?.quantity).toBe(0.5);
  });

  it("adds nothing for a chart without volumes", () => {
    expect(itemsOf([release({ replicaCount: 2 })], "kube-prometheus-stack")).toEqual([]);
  });
});
