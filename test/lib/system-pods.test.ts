import { Config } from "../../config/load";
import { DEFAULT_CONTROLLER_REPLICAS } from "../../components/platform/load-balancer-controller";
import { systemNodesNeeded, systemPods } from "../../lib/system-pods";
import { parseStack } from "../config/support";

// The system node group is sized to the add-ons it runs: the shipped stacks' instance type
// holds every system pod on the nodes a stack keeps when one node is gone (prod), or on its
// one node (dev); a smaller type would not.

const podsOf = (config: Config) =>
  systemPods({
    karpenterReplicas: config.karpenterReplicas,
    loadBalancerControllerReplicas: DEFAULT_CONTROLLER_REPLICAS,
  });
const system = (config: Config) => config.nodeGroups.system!;

describe("the system node group", () => {
  it("dev: one node of the group's first type holds every system pod", () => {
    const dev = parseStack("dev");
    const type = system(dev).instanceTypes[0]!;
    expect(systemNodesNeeded(podsOf(dev), type, dev.observability)).toBe(1);
    expect(system(dev).minSize).toBeGreaterThanOrEqual(1);
  });

  it("prod: with one node of three lost, the other two hold every system pod", () => {
    const prod = parseStack("prod");
    const group = system(prod);
    for (const type of group.instanceTypes) {
      const needed = systemNodesNeeded(podsOf(prod), type, prod.observability)!;
      expect(needed).toBeDefined();
      expect(needed).toBeLessThanOrEqual(group.minSize - 1);
    }
    expect(group.minSize).toBeGreaterThanOrEqual(prod.azCount);
  });

  it("a t4g.small would be too small for dev's add-ons (11 pods at most, 2 GiB)", () => {
    const dev = parseStack("dev");
    expect(systemNodesNeeded(podsOf(dev), "t4g.small", false)).toBeGreaterThan(1);
  });
});
