import * as fs from "fs";
import * as path from "path";
import type { CostEstimate } from "../../cost/estimate";
import { README_COST_STACKS, costReadmeBlock } from "../../tools/report/markdown";
import { readBlock } from "../../tools/readme-blocks";

const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
const REGENERATE = "npx ts-node --transpile-only tools/readme-cost.ts";

/** The stack's estimate from the plan itself, in a module registry of its own. */
async function estimateOf(stack: string): Promise<CostEstimate> {
  let out = "";
  let code = -1;
  await jest.isolateModulesAsync(async () => {
    const { main } = await import("../../tools/plan");
    code = await main(["--stack", stack, "--format", "json"], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
    });
  });
  if (code !== 0 && code !== 1) throw new Error(`the plan of ${stack} exited ${code}`);
  return (JSON.parse(out) as { cost: CostEstimate }).cost;
}

describe("the README's cost estimates", () => {
  it.each(README_COST_STACKS)("show the current estimate for %s", async (stack) => {
    const block = readBlock(readme, `cost:${stack}`);
    if (block === undefined) {
      throw new Error(
        `README.md has no <!-- cost:${stack}:start --> ... <!-- cost:${stack}:end --> block; add the markers and run \`${REGENERATE}\``,
      );
    }
    const expected = costReadmeBlock(stack, await estimateOf(stack));
    if (block !== expected.trim()) {
      throw new Error(`README.md's cost block for ${stack} is stale; run \`${REGENERATE}\``);
    }
  });

  it("renders a block with the total, the subtotals and the assumptions", () => {
    const cost: CostEstimate = {
      currency: "USD",
      lineItems: [
        {
          resource: { type: "aws:eks/cluster:Cluster", name: "cluster", urn: "u" },
          component: "eks (platform:eks:Cluster)",
          description: "EKS control plane, standard support",
          unitPrice: 0.1,
          quantity: 730,
          unit: "hour",
          monthly: 73,
        },
      ],
      subtotals: [{ component: "eks (platform:eks:Cluster)", monthly: 73 }],
      total: 73,
      assumptions: {
        region: "us-east-1",
        priceTableChecked: "2026-11-24",
        sources: [],
        hoursPerMonth: 730,
        spotDiscount: 0.65,
        spotDiscountSource: "x",
        notes: ["730 hours a month."],
      },
    };
    const block = costReadmeBlock("dev", cost);
    expect(block).toContain(
      "**dev: about $73.00 a month** (us-east-1 list prices checked 2026-11-24",
    );
    expect(block).toContain("| eks (platform:eks:Cluster) | $73.00 |");
    expect(block).toContain(
      "| cluster | EKS control plane, standard support | $0.1 | 730 | hour | $73.00 |",
    );
    expect(block).toContain("- 730 hours a month.");
  });
});
