import { STATEFUL_TYPES } from "../../lib/protection";
import { identityChanges, identitySnapshot, readSnapshot } from "../../tools/snapshot";
import type { StackRun } from "../../tools/runner";
import { RecordedResource, ofType } from "../harness";

/** Fails with review instructions when a stack's URNs or replacement-forcing inputs changed. */
export function expectStableIdentity(run: StackRun): void {
  const committed = readSnapshot(run.stack);
  if (!committed) {
    throw new Error(
      `no identity snapshot for ${run.stack}: run \`npm run snapshot -- --stack ${run.stack}\` and commit it`,
    );
  }
  const changes = identityChanges(committed, identitySnapshot(run.resources));
  if (changes.length > 0) {
    throw new Error(
      `the ${run.stack} stack's resource identities changed; \`pulumi up\` would act on these:\n` +
        changes.map((c) => `  - ${c}`).join("\n") +
        `\nIf every change is intended, run \`npm run snapshot -- --stack ${run.stack}\` and commit the diff so review sees it.`,
    );
  }
}

/** Every resource of the stateful types (registry, cluster, node groups, keys, logs, VPC, subnets). */
export function statefulResources(run: StackRun): RecordedResource[] {
  return run.resources.filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type));
}

/** The Helm release of a chart, if installed. */
export function release(run: StackRun, chart: string): RecordedResource | undefined {
  return ofType(run.resources, "kubernetes:helm.sh/v3:Release").find(
    (r) => r.inputs.chart === chart,
  );
}

/** The URN of the only resource of a type; throws when there is not exactly one. */
export function only(run: StackRun, type: string): RecordedResource {
  const found = ofType(run.resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}
