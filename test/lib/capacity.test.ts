import fc from "fast-check";
import {
  allocatable,
  cheapestPacking,
  fits,
  kubeReservedCpu,
  kubeReservedMemoryMiB,
  nodesNeeded,
} from "../../lib/capacity";
import { ENI_MAX_PODS, INSTANCE_TYPES } from "../../lib/instance-types";
import { allowedInstanceTypes, nodePoolRequirements, poolShapeOf } from "../../lib/node-pools";
import { DEFAULT_NODE_POOLS } from "../../config/node-pools";

describe("what a node keeps for itself", () => {
  it.each([
    [1, 0.06],
    [2, 0.07],
    [4, 0.08],
    [8, 0.09],
  ])("reserves the EKS AMI's kube-reserved CPU on %i vCPUs: %f cores", (vcpu, cores) => {
    expect(kubeReservedCpu(vcpu)).toBeCloseTo(cores, 6);
  });

  it("reserves 11 MiB per pod plus 255 MiB of memory (29 pods: 574 MiB)", () => {
    expect(kubeReservedMemoryMiB(29)).toBe(574);
  });

  it("knows the max pods of every instance type it can size", () => {
    expect(Object.keys(INSTANCE_TYPES).filter((t) => ENI_MAX_PODS[t] === undefined)).toEqual([]);
  });

  it("leaves an m6i.large about 1.7 CPU, 6 GiB and 24 pods for the workload", () => {
    const a = allocatable("m6i.large");
    expect(a.cpu).toBeCloseTo(2 - 0.07 - 0.2, 6);
    expect(a.memoryMiB).toBeCloseTo(8192 * 0.925 - 574 - 100 - 350, 6);
    expect(a.pods).toBe(24);
  });
});

describe("packing pods onto nodes", () => {
  const pods = (count: number, cpu = 0.25, memoryMiB = 256) => [
    { owner: "app", cpu, memoryMiB, count },
  ];

  it("needs no node for no pods and one node for one small pod", () => {
    expect(nodesNeeded([], "m6i.large")).toBe(0);
    expect(nodesNeeded(pods(1), "m6i.large")).toBe(1);
  });

  it("is undefined when a pod fits no node of the type", () => {
    expect(fits({ cpu: 2, memoryMiB: 128 }, "m6i.large")).toBe(false);
    expect(nodesNeeded(pods(1, 2), "m6i.large")).toBeUndefined();
  });

  it("stops at the pod limit even when CPU and memory are left", () => {
    // 24 pods fit an m6i.large by its ENI limit; tiny pods need a second node at 25.
    expect(nodesNeeded(pods(24, 0.01, 16), "m6i.large")).toBe(1);
    expect(nodesNeeded(pods(25, 0.01, 16), "m6i.large")).toBe(2);
  });

  it("never packs more requests onto a node than it offers, and never wastes a whole node", () => {
    const type = "m6i.xlarge";
    const a = allocatable(type);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cpu: fc.integer({ min: 10, max: 3000 }).map((m) => m / 1000),
            memoryMiB: fc.integer({ min: 16, max: 8192 }),
            count: fc.integer({ min: 0, max: 20 }),
          }),
          { maxLength: 8 },
        ),
        (groups) => {
          const named = groups.map((g, i) => ({ ...g, owner: `s${i}` }));
          const nodes = nodesNeeded(named, type)!;
          const cpu = named.reduce((s, g) => s + g.cpu * g.count, 0);
          const mem = named.reduce((s, g) => s + g.memoryMiB * g.count, 0);
          const count = named.reduce((s, g) => s + g.count, 0);
          // Enough nodes for the totals...
          expect(nodes * a.cpu).toBeGreaterThanOrEqual(cpu - 1e-9);
          expect(nodes * a.memoryMiB).toBeGreaterThanOrEqual(mem - 1e-9);
          expect(nodes * a.pods).toBeGreaterThanOrEqual(count);
          // ...and no more than one per pod.
          expect(nodes).toBeLessThanOrEqual(count);
        },
      ),
    );
  });

  it("grows with the number of pods", () => {
    const counts = [1, 10, 50, 150, 500].map((n) => nodesNeeded(pods(n), "c6i.xlarge")!);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(counts[4]).toBeGreaterThan(counts[0]!);
  });

  it("picks the type whose packing costs least, not the cheapest node", () => {
    const price: Record<string, number> = { "c6i.large": 0.085, "c6i.xlarge": 0.17 };
    const best = cheapestPacking(pods(150), ["c6i.large", "c6i.xlarge"], (t) => price[t]!);
    // 150 pods of 250m: 25 c6i.large (6 each) cost more than 11 c6i.xlarge (14 each).
    expect(best).toEqual({ instanceType: "c6i.xlarge", nodes: 11, hourlyPerNode: 0.17 });
  });
});

describe("the instance types a NodePool allows", () => {
  it("reads back from the requirements it writes", () => {
    const pool = DEFAULT_NODE_POOLS.general;
    expect(poolShapeOf(nodePoolRequirements(pool))).toEqual({
      capacityTypes: ["on-demand"],
      architectures: ["amd64"],
      instanceCategories: ["c", "m", "r"],
      instanceFamilies: [],
      maxInstanceVcpu: 8,
    });
  });

  it.each([
    [
      "Graviton families",
      { architectures: ["arm64"], instanceFamilies: ["m7g"] },
      ["m7g.large", "m7g.xlarge", "m7g.2xlarge"],
    ],
    [
      "burstable up to 2 vCPUs",
      { instanceCategories: ["t"], maxInstanceVcpu: 2 },
      ["t3.medium", "t3.large", "t3a.medium", "t3a.large"],
    ],
  ])("allows %s", (_, fields, expected) => {
    const shape = { ...DEFAULT_NODE_POOLS.general, instanceCategories: [], ...fields };
    expect(allowedInstanceTypes(shape).sort()).toEqual([...expected].sort());
  });
});
