import { identitySnapshot, writeSnapshot } from "./snapshot";
import { runStack } from "./runner";
import { standInOverrides } from "./stand-ins";

/**
 * Regenerates one stack's identity snapshot: `npm run snapshot -- --stack dev`. Run it only
 * after reading what the failing test said would be deleted or replaced, and commit the diff.
 */
async function main(): Promise<void> {
  const i = process.argv.indexOf("--stack");
  const stack = i >= 0 ? process.argv[i + 1] : undefined;
  if (!stack) {
    console.error("usage: npm run snapshot -- --stack <dev|prod>");
    process.exit(2);
  }
  // As a real update would run: with the stand-ins for any placeholder it refuses.
  const run = await runStack({ stack, overrides: standInOverrides(stack) });
  writeSnapshot(stack, identitySnapshot(run.resources));
  console.log(`test/stacks/identity/${stack}.json: ${run.resources.length} resources`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
