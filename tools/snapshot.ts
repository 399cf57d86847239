import * as fs from "fs";
import * as path from "path";
import { REPLACEMENT_INPUTS, inputAt } from "../lib/replacement";
import type { RecordedResource } from "./mocks";
import { PROJECT_DIR } from "./runner";

/**
 * A stack's identity: every resource URN (type and name chain, never ids) and, for resources
 * AWS replaces when certain inputs change, those inputs' values.
 */
export interface IdentitySnapshot {
  readonly urns: string[];
  readonly replacementInputs: Record<string, Record<string, unknown>>;
}

/** The snapshot file of a stack, committed beside the stack tests. */
export function snapshotPath(stack: string): string {
  return path.join(PROJECT_DIR, "test", "stacks", "identity", `${stack}.json`);
}

/** Builds the snapshot of a recorded run; sorted, so it diffs cleanly. */
export function identitySnapshot(resources: readonly RecordedResource[]): IdentitySnapshot {
  const replacementInputs: Record<string, Record<string, unknown>> = {};
  for (const r of resources) {
    const paths = REPLACEMENT_INPUTS[r.type];
    if (!paths) continue;
    replacementInputs[r.urn] = Object.fromEntries(
      paths.map((p) => [p, inputAt(r.inputs, p) ?? null]),
    );
  }
  const sortedInputs = Object.fromEntries(
    Object.entries(replacementInputs).sort(([a], [b]) => a.localeCompare(b)),
  );
  return { urns: resources.map((r) => r.urn).sort(), replacementInputs: sortedInputs };
}

/** What changed between the committed snapshot and the current one, as review sentences. */
export function identityChanges(committed: IdentitySnapshot, current: IdentitySnapshot): string[] {
  const now = new Set(current.urns);
  const before = new Set(committed.urns);
  const changes: string[] = [];
  for (const urn of committed.urns) {
    if (!now.has(urn)) {
      changes.push(
        `URN gone (pulumi up would DELETE it, and create any renamed twin): ${urn}. If a refactor renamed or re-parented it, add \`aliases\` to the resource's options.`,
      );
    }
  }
  for (const urn of current.urns) {
    if (!before.has(urn)) changes.push(`new URN (a create): ${urn}`);
  }
  for (const [urn, inputs] of Object.entries(current.replacementInputs)) {
    const old = committed.replacementInputs[urn];
    if (!old) continue;
    for (const [key, value] of Object.entries(inputs)) {
      if (JSON.stringify(old[key]) !== JSON.stringify(value)) {
        changes.push(
          `${urn}: ${key} changed from ${JSON.stringify(old[key])} to ${JSON.stringify(value)}; AWS REPLACES the resource on this change`,
        );
      }
    }
  }
  return changes;
}

/** Reads the committed snapshot of a stack, or undefined when there is none yet. */
export function readSnapshot(stack: string): IdentitySnapshot | undefined {
  const file = snapshotPath(stack);
  return fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, "utf8")) as IdentitySnapshot)
    : undefined;
}

/** Writes a stack's snapshot (`npm run snapshot -- --stack dev`). */
export function writeSnapshot(stack: string, snapshot: IdentitySnapshot): void {
  fs.mkdirSync(path.dirname(snapshotPath(stack)), { recursive: true });
  fs.writeFileSync(snapshotPath(stack), `${JSON.stringify(snapshot, null, 2)}\n`);
}
