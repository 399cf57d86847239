import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { CostEstimate } from "../cost/estimate";
import { README_COST_STACKS, costReadmeBlock } from "./report/markdown";
import { replaceBlock } from "./readme-blocks";
import { PROJECT_DIR } from "./runner";

/** A stack's estimate, from `tools/plan.ts --format json` in its own process (one runtime each). */
function estimateOf(stack: string): Promise<CostEstimate> {
  const args = [
    "-r",
    require.resolve("ts-node/register/transpile-only"),
    path.join(__dirname, "plan.ts"),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, "--stack", stack, "--format", "json"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 || code === 1
        ? resolve((JSON.parse(out) as { cost: CostEstimate }).cost)
        : reject(new Error(`the plan of stack ${stack} exited ${String(code)}`)),
    );
  });
}

/**
 * Regenerates the README's cost blocks for dev and prod (tests fail when they are stale).
 * `file` defaults to the project's README.md.
 */
async function main(file = path.join(PROJECT_DIR, "README.md")): Promise<void> {
  const estimates = await Promise.all(README_COST_STACKS.map(estimateOf));
  let text = fs.readFileSync(file, "utf8");
  README_COST_STACKS.forEach((stack, i) => {
    text = replaceBlock(text, `cost:${stack}`, costReadmeBlock(stack, estimates[i]!));
  });
  fs.writeFileSync(file, text);
  console.log(`${file}: cost estimates regenerated for ${README_COST_STACKS.join(", ")}`);
}

if (require.main === module) {
  main(process.argv[2]).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
