import { Config } from "../../config/load";
import { PRODUCTION_MIN_REPLICAS } from "../../config/rules";
import { CapacityType, NatStrategy } from "../../config/schema";
import { parseStack } from "./support";

// Both real stack files load and validate, and their differences are data: dev is cheap,
// prod is highly available and protected.

let dev: Config;
let prod: Config;
beforeAll(() => {
  dev = parseStack("dev");
  prod = parseStack("prod");
});

describe("the dev stack file", () => {
  it("loads, validates and is frozen", () => {
    expect(dev.stack).toBe("dev");
    expect(dev.region).toBe("us-east-1");
    expect(Object.isFrozen(dev)).toBe(true);
    expect(Object.isFrozen(dev.nodeGroups)).toBe(true);
  });

  it("is cheap: two AZs, one NAT instance, spot nodes, no observability", () => {
    expect(dev.production).toBe(false);
    expect(dev.azCount).toBe(2);
    expect(dev.natStrategy).toBe(NatStrategy.Instance);
    const groups = Object.values(dev.nodeGroups);
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.capacityType).toBe(CapacityType.Spot);
    expect(dev.observability).toBe(false);
    expect(dev.interfaceEndpoints).toBe(false);
  });

  it("is easy to destroy: no protection, force-deletable registry, shortest KMS window", () => {
    expect(dev.protectResources).toBe(false);
    expect(dev.deletionProtection).toBe(false);
    expect(dev.ecrForceDelete).toBe(true);
    expect(dev.kmsDeletionWindowDays).toBe(7);
  });
});

describe("the prod stack file", () => {
  it("loads, validates and is frozen", () => {
    expect(prod.stack).toBe("prod");
    expect(prod.region).toBe("us-east-1");
    expect(Object.isFrozen(prod.services)).toBe(true);
  });

  it("is highly available: three AZs, a NAT gateway per AZ, on-demand nodes", () => {
    expect(prod.production).toBe(true);
    expect(prod.azCount).toBe(3);
    expect(prod.natStrategy).toBe(NatStrategy.PerAz);
    const groups = Object.values(prod.nodeGroups);
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(group.capacityType).toBe(CapacityType.OnDemand);
      expect(group.minSize).toBeGreaterThanOrEqual(prod.azCount);
    }
  });

  it(`runs every service with at least ${PRODUCTION_MIN_REPLICAS} replicas`, () => {
    const services = Object.values(prod.services);
    expect(services.length).toBeGreaterThan(0);
    for (const svc of services) expect(svc.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it("is protected: Pulumi protect, EKS deletion protection, no force delete, 30-day KMS window", () => {
    expect(prod.protectResources).toBe(true);
    expect(prod.deletionProtection).toBe(true);
    expect(prod.ecrForceDelete).toBe(false);
    expect(prod.kmsDeletionWindowDays).toBe(30);
  });

  it("keeps the API endpoint off the open internet and logs the whole control plane", () => {
    expect(prod.publicAccessCidrs).not.toContain("0.0.0.0/0");
    expect(prod.publicAccessCidrs.length).toBeGreaterThan(0);
    expect([...prod.clusterLogTypes].sort()).toEqual(
      ["api", "audit", "authenticator", "controllerManager", "scheduler"].sort(),
    );
    expect(prod.observability).toBe(true);
  });
});
