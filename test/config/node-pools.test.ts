import { DEFAULT_NODE_POOLS } from "../../config/node-pools";
import { DEFAULT_NODE_AMI_ALIAS } from "../../lib/versions";
import { Case, expectRejected, parseStack } from "./support";

// The Karpenter keys: nodePools, nodeAmiAlias, karpenterReplicas. Each case starts from a real
// stack file with one change and must be rejected before any resource exists, naming the key.

const DEV_POOL = {
  capacityTypes: ["spot"],
  instanceCategories: ["t", "m", "c"],
  maxInstanceVcpu: 4,
  cpuLimit: 8,
  memoryLimitGiB: 32,
};
const devPool = (fields: Record<string, unknown>) => ({
  nodePools: { general: { ...DEV_POOL, ...fields } },
});
const PROD_POOL = {
  capacityTypes: ["on-demand"],
  instanceCategories: ["c", "m", "r"],
  maxInstanceVcpu: 8,
  cpuLimit: 96,
  memoryLimitGiB: 384,
  disruptionBudgetPercent: 10,
};
const prodPool = (fields: Record<string, unknown>) => ({
  nodePools: { general: { ...PROD_POOL, ...fields } },
});

describe("the NodePools of the stack files", () => {
  it("gives dev one spot pool with a small ceiling and prod an on-demand pool", () => {
    const dev = parseStack("dev");
    const prod = parseStack("prod");
    expect(dev.nodePools.general).toMatchObject({ capacityTypes: ["spot"], cpuLimit: 8 });
    expect(prod.nodePools.general).toMatchObject({
      capacityTypes: ["on-demand"],
      disruptionBudgetPercent: 10,
    });
    expect(prod.karpenterReplicas).toBe(2);
    expect(dev.karpenterReplicas).toBe(1);
    expect(dev.nodeAmiAlias).toBe(DEFAULT_NODE_AMI_ALIAS);
  });

  it("fills every default of a pool that gives only its instance choice and limits", () => {
    const pool = parseStack("dev", devPool({})).nodePools.general;
    expect(pool).toMatchObject({
      architectures: ["amd64"],
      consolidateAfter: "1m",
      expireAfter: "720h",
      disruptionBudgetPercent: 10,
      weight: 0,
      taints: [],
    });
  });

  it("accepts expireAfter Never and an arm64 pool of Graviton families", () => {
    const pools = parseStack("dev", {
      nodePools: {
        general: { ...DEV_POOL, expireAfter: "Never" },
        graviton: {
          architectures: ["arm64"],
          instanceFamilies: ["m7g", "c7g"],
          cpuLimit: 16,
          memoryLimitGiB: 64,
        },
      },
    }).nodePools;
    expect(Object.keys(pools)).toEqual(["general", "graviton"]);
    expect(pools.general?.expireAfter).toBe("Never");
  });

  it("has a default pool that a stack without nodePools gets", () => {
    expect(parseStack("dev", { nodePools: undefined }).nodePools).toEqual(DEFAULT_NODE_POOLS);
  });
});

const cases: Case[] = [
  {
    name: "no NodePool at all",
    base: "dev",
    change: { nodePools: {} },
    expect: "platform:nodePools: must define at least one NodePool; got {}",
  },
  {
    name: "a list for the map",
    base: "dev",
    change: { nodePools: [DEV_POOL] },
    expect: {
      key: "platform:nodePools",
      rule: "must be a map of NodePool name to settings",
    },
  },
  {
    name: "an upper-case pool name (not a Kubernetes object name)",
    base: "dev",
    change: { nodePools: { General: DEV_POOL } },
    expect: {
      key: "platform:nodePools.General (key)",
      rule: "must be lower-case letters, digits and '-', starting with a letter",
    },
  },
  {
    name: "a pool with neither categories nor families (any type EC2 offers, GPU and metal)",
    base: "dev",
    change: devPool({ instanceCategories: [] }),
    expect: {
      key: "platform:nodePools.general",
      rule: "must list instanceCategories or instanceFamilies",
    },
  },
  {
    name: "no limits: the budget guard is required",
    base: "dev",
    change: { nodePools: { general: { instanceCategories: ["m"] } } },
    expect:
      "platform:nodePools.general.cpuLimit: is required and must be an integer from 1 to 100000",
  },
  {
    name: "a label in a domain Karpenter reserves",
    base: "dev",
    change: devPool({ labels: { "karpenter.sh/team": "a", "node.kubernetes.io/role": "web" } }),
    expect:
      'platform:nodePools.general.labels.karpenter.sh/team (key): must not be in a domain Karpenter reserves (kubernetes.io, k8s.io, karpenter.sh, karpenter.k8s.aws; node.kubernetes.io, node-restriction.kubernetes.io, kops.k8s.io are allowed); got "karpenter.sh/team"',
  },
  {
    name: "a cpuLimit below one of the pool's largest instances",
    base: "dev",
    change: devPool({ cpuLimit: 2 }),
    expect:
      "platform:nodePools.general.cpuLimit: must be at least the 4 vCPUs of the largest instance the pool allows, or Karpenter cannot launch it; got 2",
  },
  {
    name: "a memoryLimitGiB below one of the pool's largest instances",
    base: "dev",
    change: devPool({ memoryLimitGiB: 8 }),
    expect:
      "platform:nodePools.general.memoryLimitGiB: must be at least the 16 GiB of the largest instance the pool allows, or Karpenter cannot launch it; got 8",
  },
  {
    name: "a pool whose types the cost model cannot price",
    base: "dev",
    change: devPool({ instanceCategories: [], instanceFamilies: ["p5"] }),
    expect: {
      key: "platform:nodePools.general",
      rule: "must allow at least one instance type of lib/instance-types.ts",
    },
  },
  {
    name: "a capacity type Karpenter does not know (the node group spelling)",
    base: "dev",
    change: devPool({ capacityTypes: ["SPOT"] }),
    expect:
      'platform:nodePools.general.capacityTypes[0]: must be one of on-demand, spot; got "SPOT"',
  },
  {
    name: "an architecture named as EC2 names it",
    base: "dev",
    change: devPool({ architectures: ["x86_64"] }),
    expect:
      'platform:nodePools.general.architectures[0]: must be one of amd64, arm64; got "x86_64"',
  },
  {
    name: "a repeated capacity type",
    base: "dev",
    change: devPool({ capacityTypes: ["spot", "spot"] }),
    expect:
      'platform:nodePools.general.capacityTypes[1]: must not repeat a capacity type; got "spot"',
  },
  {
    name: "an instance type where a family belongs",
    base: "dev",
    change: devPool({ instanceFamilies: ["m7i.large"] }),
    expect:
      'platform:nodePools.general.instanceFamilies[0]: must be an EC2 instance family such as m7i or c7g; got "m7i.large"',
  },
  {
    name: "consolidation turned off with Never (consolidation is the point)",
    base: "dev",
    change: devPool({ consolidateAfter: "Never" }),
    expect:
      'platform:nodePools.general.consolidateAfter: must be a duration such as 30s, 5m or 1h; got "Never"',
  },
  {
    name: "a duration in days, which Go durations do not have",
    base: "dev",
    change: devPool({ expireAfter: "30d" }),
    expect:
      'platform:nodePools.general.expireAfter: must be a duration such as 720h, or Never; got "30d"',
  },
  {
    name: "a budget of 0% (no node could ever be replaced, not even an expired one)",
    base: "dev",
    change: devPool({ disruptionBudgetPercent: 0 }),
    expect:
      "platform:nodePools.general.disruptionBudgetPercent: must be an integer from 1 to 100; got 0",
  },
  {
    name: "a huge vCPU ceiling",
    base: "dev",
    change: devPool({ maxInstanceVcpu: 1e308 }),
    expect:
      "platform:nodePools.general.maxInstanceVcpu: must be an integer from 2 to 192; got 1e+308",
  },
  {
    name: "a taint effect in the node group (EKS API) spelling",
    base: "dev",
    change: devPool({ taints: [{ key: "gpu", effect: "NO_SCHEDULE" }] }),
    expect:
      'platform:nodePools.general.taints[0].effect: must be one of NoSchedule, NoExecute, PreferNoSchedule; got "NO_SCHEDULE"',
  },
  {
    name: "an unknown pool setting",
    base: "dev",
    change: devPool({ instanceTypes: ["m6i.large"] }),
    expect: { key: "platform:nodePools.general.instanceTypes", rule: "is not a known key" },
  },
  {
    name: "a production pool that may disrupt half its nodes at once",
    base: "prod",
    change: prodPool({ disruptionBudgetPercent: 50 }),
    expect:
      "platform:nodePools.general.disruptionBudgetPercent: must be at most 20 in a production stack, so consolidation and expiry never take more than a fifth of the nodes at once; got 50",
  },
  {
    name: "one Karpenter controller in production",
    base: "prod",
    change: { karpenterReplicas: 1 },
    expect:
      "platform:karpenterReplicas: must be at least 2 in a production stack, so draining a system node never stops node provisioning; got 1",
  },
  {
    name: "an AMI alias that follows every release",
    base: "dev",
    change: { nodeAmiAlias: "al2023@latest" },
    expect:
      'platform:nodeAmiAlias: must be an AL2023 AMI alias pinned to a release, such as al2023@v20260903 (never @latest); got "al2023@latest"',
  },
  {
    name: "four controller replicas",
    base: "dev",
    change: { karpenterReplicas: 4 },
    expect: "platform:karpenterReplicas: must be an integer from 1 to 3; got 4",
  },
];

describe("a hostile NodePool config", () => {
  it.each(cases.map((c) => [c.name, c] as const))("rejects %s", (_, c) => expectRejected(c));
});
