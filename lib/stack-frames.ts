/**
 * Stack traces that Node 20 can print.
 *
 * The Pulumi SDK ships source maps whose `sources` point at TypeScript files it does not ship,
 * one folder up (`@pulumi/pulumi/resource.js.map` names `../resource.ts`). The source-map
 * support that the language host and ts-node install therefore writes SDK frames as
 * `…/node_modules/@pulumi/resource.ts:1598:22`: a scope folder followed by a file, a path that
 * cannot exist. Node 20.20's `util.inspect(error, { colors: true })` loops on such a frame,
 * growing a string until V8 refuses it (nodejs/node#64011, fixed in #64022 after Node 20's end
 * of life), and the language host inspects every uncaught error that way for its tracing span
 * (`@pulumi/pulumi/cmd/run/run.js`, after logging it). Measured under the real engine, the dev
 * stack's config error took 33 s and 3.4 GB of the program's process, 4 s and 240 MB without the
 * loop. So frames with such a location are printed as V8 saw them, unmapped: the real `.js`
 * file, line and column.
 */

/** What a V8 call site offers that the repair uses. */
export interface CallSiteLike {
  toString(): string;
  getFunctionName(): string | null;
}

/**
 * A frame location Node 20 loops on: `node_modules/`, an optional `@scope/`, then no further
 * path separator (a file directly in `node_modules` or in a scope folder).
 */
const LOOPING_LOCATION = /[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]*$/;

/** True for a stack line that `util.inspect` with colors would loop on under Node 20.20. */
export function isLoopingFrame(line: string): boolean {
  return line.startsWith("    at ") && LOOPING_LOCATION.test(line);
}

/**
 * The formatted stack with each looping frame line replaced by its call site as V8 formats it.
 * The formatters in use (V8's, source-map-support's) write one `    at …` line per call site,
 * after the message, so the last `frames.length` lines are the frames; a stack of any other
 * shape is returned as it is.
 */
export function repairStack(formatted: string, frames: readonly CallSiteLike[]): string {
  const lines = formatted.split("\n");
  const first = lines.length - frames.length;
  if (frames.length === 0 || first < 1) return formatted;
  for (let i = first; i < lines.length; i++) {
    if (!isLoopingFrame(lines[i]!)) continue;
    const frame = frames[i - first]!;
    const raw = `    at ${String(frame)}`;
    // A real file directly in node_modules (`require("foo")` of node_modules/foo.js) loops
    // too: its location is left out rather than hang the process.
    lines[i] = isLoopingFrame(raw)
      ? `    at ${frame.getFunctionName() ?? "<anonymous>"} (location left out: nodejs/node#64011)`
      : raw;
  }
  return lines.join("\n");
}

/** Marks the installed formatter, so installing twice wraps once. */
const REPAIRS_STACKS = Symbol.for("platform.repairsStacks");

/**
 * Wraps the installed `Error.prepareStackTrace` (source-map support's, under the language host
 * and ts-node) with {@link repairStack}. Without one, V8 formats stacks unmapped and there is
 * nothing to repair. Stacks are formatted lazily, on first read of `error.stack`, so errors
 * created earlier are covered too. Idempotent.
 */
export function installStackRepair(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its own `this`
  const inner = Error.prepareStackTrace as
    | (((error: Error, frames: NodeJS.CallSite[]) => unknown) & { [REPAIRS_STACKS]?: true })
    | undefined;
  if (inner === undefined || inner[REPAIRS_STACKS]) return;
  const repairing = function (this: unknown, error: Error, frames: NodeJS.CallSite[]): unknown {
    const formatted = inner.call(this, error, frames);
    return typeof formatted === "string" ? repairStack(formatted, frames) : formatted;
  };
  Error.prepareStackTrace = Object.assign(repairing, { [REPAIRS_STACKS]: true as const });
}
