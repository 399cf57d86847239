import { identitySnapshot, writeSnapshot } from "./snapshot";
import { runStack } from "./runner";

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
  const run = await runStack({ stack });
  writeSnapshot(stack, identitySnapshot(run.resources));
  console.log(`test/stacks/identity/${stack}.json: ${run.resources.length} resources`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
