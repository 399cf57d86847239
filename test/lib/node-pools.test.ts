import { DEFAULT_NODE_POOLS } from "../../config/node-pools";
import { nodePoolSpec } from "../../lib/node-pools";

describe("nodePoolSpec", () => {
  it("sends no weight for weight 0, which the NodePool CRD refuses (1 to 100; none reads as 0)", () => {
    expect(nodePoolSpec({ ...DEFAULT_NODE_POOLS.general, weight: 0 })).not.toHaveProperty("weight");
  });

  it("sends a weight from 1 to 100 as given", () => {
    expect(nodePoolSpec({ ...DEFAULT_NODE_POOLS.general, weight: 50 })).toHaveProperty(
      "weight",
      50,
    );
  });
});
