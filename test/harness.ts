import type { RecordedResource } from "../tools/mocks";
import type { StackRun } from "../tools/runner";

export type { RecordedResource } from "../tools/mocks";

/**
 * Runs a stack's `index.ts` under the recording mocks with its real stack file. Import the
 * runner dynamically so `setMocks` is always in place before the program loads. A run as
 * `pulumi up` (not a preview) puts stand-ins in place of the stack file's placeholders, which a
 * real update refuses (tools/stand-ins.ts), unless `asShipped` asks for the file as it is.
 */
export async function runStack(
  stack: string,
  overrides: Record<string, unknown> = {},
  options: { preview?: boolean; asShipped?: boolean } = {},
): Promise<StackRun> {
  const runner = await import("../tools/runner");
  const { standInOverrides } = await import("../tools/stand-ins");
  const standIns = options.preview || options.asShipped ? {} : standInOverrides(stack);
  return runner.runStack({
    stack,
    overrides: { ...standIns, ...overrides },
    preview: options.preview,
  });
}

/** Sets up recording mocks for component tests: call it before importing components. */
export async function useMocks(
  options: {
    stack?: string;
    region?: string;
    preview?: boolean;
    config?: Record<string, string>;
  } = {},
): Promise<{ resources: RecordedResource[]; done: () => Promise<void> }> {
  const pulumi = await import("@pulumi/pulumi");
  const { RecordingMocks } = await import("../tools/mocks");
  const region = options.region ?? "us-east-1";
  pulumi.runtime.setAllConfig({ "aws:region": region, ...options.config });
  const mocks = new RecordingMocks({ region, preview: options.preview });
  await pulumi.runtime.setMocks(
    mocks,
    "platform",
    options.stack ?? "test",
    options.preview ?? false,
  );
  const runner = await import("../tools/runner");
  runner.recordRegistrations(mocks);
  return { resources: mocks.resources, done: () => pulumi.runtime.disconnect() };
}

/** Every recorded resource of a type. */
export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource with this type and name; throws listing what exists otherwise. */
export function findResource(
  resources: readonly RecordedResource[],
  type: string,
  name: string,
): RecordedResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const names = ofType(resources, type).map((r) => r.name);
    throw new Error(
      `no ${type} named ${name}; recorded: ${names.join(", ") || "none of that type"}`,
    );
  }
  return found;
}

/** The recorded children of a resource (by parent URN). */
export function childrenOf(
  resources: readonly RecordedResource[],
  parent: RecordedResource,
): RecordedResource[] {
  return resources.filter((r) => r.parent === parent.urn);
}

/** Resolves an Output (or a plain value) to its value, for assertions on component fields. */
export function valueOf<T>(output: { apply<U>(f: (t: T) => U): unknown } | T): Promise<T> {
  return new Promise((resolve) => {
    if (output && typeof (output as { apply?: unknown }).apply === "function") {
      (output as { apply<U>(f: (t: T) => U): unknown }).apply((v: T) => {
        resolve(v);
        return v;
      });
    } else {
      resolve(output as T);
    }
  });
}

/**
 * Every URN a resource depends on, directly or through the resources it depends on, by the
 * recorded dependencies: the engine deletes a resource before everything in this set.
 */
export function dependencyClosure(
  resources: readonly RecordedResource[],
  from: RecordedResource,
): Set<string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const stack = [...from.options.dependencies];
  while (stack.length > 0) {
    const urn = stack.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    stack.push(...(byUrn.get(urn)?.options.dependencies ?? []));
  }
  return seen;
}
