import { DEFAULT_NODE_POOLS } from "../../config/node-pools";
import { estimateCost } from "../../cost/estimate";
import type { CostedResource } from "../../cost/estimate";
import { nodePoolSpec } from "../../lib/node-pools";
import type { NodePoolConfig } from "../../lib/node-pools";

// The plan prices the nodes the workload needs: requests at minReplicas, packed on the
// cheapest type the NodePool allows, spot-discounted where spot is allowed.

const urn = (type: string, name: string) => `urn:pulumi:test::platform::${type}::${name}`;
const r = (type: string, name: string, inputs: Record<string, unknown>): CostedResource => ({
  type,
  name,
  urn: urn(type, name),
  inputs,
});

const pool = (settings: NodePoolConfig = DEFAULT_NODE_POOLS.general, name = "general") =>
  r("kubernetes:karpenter.sh/v1:NodePool", `pool-${name}`, {
    metadata: { name },
    spec: nodePoolSpec(settings),
  });

function service(name: string, min: number, max: number, cpu = "250m", memory = "256Mi") {
  return [
    r("kubernetes:apps/v1:Deployment", `${name}-deployment`, {
      metadata: { name, namespace: name },
      spec: {
        template: {
          spec: { containers: [{ name, resources: { requests: { cpu, memory } } }] },
        },
      },
    }),
    r("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${name}-autoscaler`, {
      metadata: { name, namespace: name },
      spec: { scaleTargetRef: { kind: "Deployment", name }, minReplicas: min, maxReplicas: max },
    }),
  ];
}

const services = (n: number) =>
  Array.from({ length: n }, (_, i) => service(`svc-${i}`, 3, 10)).flat();
const nodeCost = (resources: CostedResource[]) =>
  estimateCost(resources, { region: "us-east-1" })
    .lineItems.filter((l) => l.resource.name.startsWith("pool-") && l.unit === "instance-hour")
    .reduce((sum, l) => sum + l.monthly, 0);

describe("the capacity estimate", () => {
  it("prices no node when nothing runs on the pool", () => {
    expect(nodeCost([pool()])).toBe(0);
  });

  it("grows with the services: 1, 10 and 50 services at three replicas each", () => {
    const costs = [1, 10, 50].map((n) => nodeCost([pool(), ...services(n)]));
    expect(costs[0]).toBeGreaterThan(0);
    expect(costs[1]).toBeGreaterThan(costs[0]!);
    expect(costs[2]).toBeGreaterThan(costs[1]! * 3);
  });

  it("packs 150 pods of 250m onto the cheapest allowed type and says how", () => {
    const estimate = estimateCost([pool(), ...services(50)], { region: "us-east-1" });
    const line = estimate.lineItems.find((l) => l.unit === "instance-hour")!;
    expect(line.description).toMatch(
      /^11 × c6i\.xlarge on-demand: 150 pods of 50 workloads at minReplicas, the cheapest packing of \d+ allowed types$/,
    );
    expect(line.unitPrice).toBe(0.17);
    expect(estimate.assumptions.notes.join("\n")).toContain(
      "at minReplicas 150 pods on 11 × c6i.xlarge ($1365.10/month); at maxReplicas 500 pods on 36 × c6i.xlarge",
    );
  });

  it("takes the spot discount when the pool allows spot", () => {
    const spot: NodePoolConfig = {
      ...DEFAULT_NODE_POOLS.general,
      capacityTypes: ["spot", "on-demand"],
    };
    const onDemand = nodeCost([pool(), ...services(10)]);
    expect(nodeCost([pool(spot), ...services(10)])).toBeCloseTo(onDemand * 0.35, 6);
  });

  it("puts a pod that fits no allowed type on no node, and says so", () => {
    const estimate = estimateCost([pool(), ...service("huge", 1, 1, "16")], {
      region: "us-east-1",
    });
    expect(estimate.lineItems[0]?.description).toBe(
      "1 pod of 1 workload fit no instance type the pool allows (see the policy findings)",
    );
  });

  it("sends pods to the pool their nodeSelector names, and the rest to the untainted pool", () => {
    const arm: NodePoolConfig = {
      ...DEFAULT_NODE_POOLS.general,
      architectures: ["arm64"],
      instanceCategories: [],
      instanceFamilies: ["m7g"],
      taints: [{ key: "arch", value: "arm64", effect: "NoSchedule" as const }],
    };
    const [deployment, hpa] = service("arm-app", 2, 2);
    const selected = {
      ...deployment!,
      inputs: {
        ...deployment!.inputs,
        spec: {
          template: {
            spec: {
              nodeSelector: { "karpenter.sh/nodepool": "graviton" },
              containers: [{ resources: { requests: { cpu: "500m", memory: "512Mi" } } }],
            },
          },
        },
      },
    };
    const estimate = estimateCost(
      [pool(), pool(arm, "graviton"), selected, hpa!, ...service("x86-app", 1, 1)],
      { region: "us-east-1" },
    );
    const lineOf = (name: string) =>
      estimate.lineItems.find((l) => l.resource.name === name && l.unit === "instance-hour")!;
    expect(lineOf("pool-graviton").description).toMatch(
      /^1 × m7g\.large on-demand: 2 pods of 1 workload/,
    );
    expect(lineOf("pool-general").description).toMatch(/: 1 pod of 1 workload/);
  });
});
