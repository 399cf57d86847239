/**
 * Preview guard: reads the JSON of `pulumi preview --json` and fails when a stateful resource
 * (lib/protection.ts STATEFUL_TYPES) would be replaced or deleted, unless that change is
 * allowed by URN or type. CI runs it on prod before any `pulumi up`:
 *
 *   pulumi preview --stack prod --json > preview.json
 *   npx ts-node --transpile-only tools/guard-preview.ts preview.json [--allow <urn-or-type>]...
 *
 * Exit codes: 0 nothing stateful is destroyed, 1 a change is blocked, 2 the input is unusable.
 */
import * as fs from "fs";
import { STATEFUL_TYPES } from "../lib/protection";

/**
 * Step operations that destroy the resource they are about. A default replacement shows as
 * `replace` (`create-replacement` and `delete-replaced` with `--show-replacement-steps`).
 */
export const DESTRUCTIVE_OPS = [
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
] as const;

/** The environment variable holding extra allowed URNs or types, comma or newline separated. */
export const ALLOW_ENV = "PREVIEW_GUARD_ALLOW";

/** A resource state in the preview document (apitype.ResourceV3); only what the guard reads. */
export interface PreviewResourceState {
  readonly urn?: string;
  readonly type?: string;
  readonly protect?: boolean;
}

/** One step of `pulumi preview --json` (pkg/backend/display `previewStep`). */
export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly oldState?: PreviewResourceState;
  readonly newState?: PreviewResourceState;
  /** Properties that differ (update steps). */
  readonly diffReasons?: readonly string[];
  /** Properties that force the replacement (replace steps). */
  readonly replaceReasons?: readonly string[];
  readonly detailedDiff?: Readonly<Record<string, { readonly kind: string }>>;
}

/** The whole `pulumi preview --json` document; `steps` is absent when nothing changes. */
export interface PreviewDigest {
  readonly steps?: readonly PreviewStep[];
  readonly changeSummary?: Readonly<Record<string, number>>;
}

/** A stateful resource the preview would destroy, with what forced it. */
export interface GuardFinding {
  readonly urn: string;
  readonly type: string;
  /** Every destructive op seen for the URN, in document order. */
  readonly ops: readonly string[];
  /** Properties that force the replacement, when the preview says. */
  readonly reasons: readonly string[];
  /** The `--allow` entry that lets it through; undefined when it is blocked. */
  readonly allowedBy?: string;
}

/** The guard's verdict. */
export interface GuardResult {
  readonly ok: boolean;
  readonly blocked: readonly GuardFinding[];
  readonly allowed: readonly GuardFinding[];
}

/** The document is not the JSON of `pulumi preview --json`. */
export class PreviewFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreviewFormatError";
  }
}

/** The resource type of a step: from its state, else the last type in the URN. */
export function stepType(step: PreviewStep): string {
  const fromState = step.newState?.type ?? step.oldState?.type;
  if (fromState) return fromState;
  // urn:pulumi:<stack>::<project>::<parent types joined by $>$<type>::<name>
  const qualified = step.urn.split("::")[2] ?? "";
  return qualified.split("$").at(-1) ?? "";
}

/** Parses and shape-checks the document, naming the first field that is wrong. */
export function parsePreview(text: string): PreviewDigest {
  if (text.trim() === "") {
    throw new PreviewFormatError(
      "the preview is empty; expected the output of pulumi preview --json",
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PreviewFormatError(
      `the preview is not valid JSON (${(err as Error).message}); expected the output of pulumi preview --json`,
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new PreviewFormatError("the preview must be a JSON object with a steps array");
  }
  const steps = (doc as { steps?: unknown }).steps;
  if (steps !== undefined && !Array.isArray(steps)) {
    throw new PreviewFormatError("steps must be an array of preview steps");
  }
  (steps ?? []).forEach((step: unknown, i: number) => {
    const s = step as Partial<Record<keyof PreviewStep, unknown>> | null;
    if (typeof s !== "object" || s === null) {
      throw new PreviewFormatError(`steps[${i}] must be an object`);
    }
    for (const field of ["op", "urn"] as const) {
      if (typeof s[field] !== "string" || s[field] === "") {
        throw new PreviewFormatError(`steps[${i}].${field} must be a non-empty string`);
      }
    }
  });
  return doc;
}

/**
 * Finds every stateful resource the preview would replace or delete, one finding per URN,
 * and lets through those whose URN or type is in `allow`.
 */
export function guardPreview(
  digest: PreviewDigest,
  options: { readonly allow?: readonly string[]; readonly statefulTypes?: readonly string[] } = {},
): GuardResult {
  const stateful = new Set<string>(options.statefulTypes ?? STATEFUL_TYPES);
  const allow = options.allow ?? [];
  const byUrn = new Map<string, { type: string; ops: string[]; reasons: Set<string> }>();
  for (const step of digest.steps ?? []) {
    if (!(DESTRUCTIVE_OPS as readonly string[]).includes(step.op)) continue;
    const type = stepType(step);
    if (!stateful.has(type)) continue;
    const entry = byUrn.get(step.urn) ?? { type, ops: [], reasons: new Set<string>() };
    entry.ops.push(step.op);
    for (const reason of replaceReasons(step)) entry.reasons.add(reason);
    byUrn.set(step.urn, entry);
  }
  const findings = [...byUrn].map(([urn, e]): GuardFinding => {
    const allowedBy = allow.find((a) => a === urn || a === e.type);
    return { urn, type: e.type, ops: e.ops, reasons: [...e.reasons], allowedBy };
  });
  const blocked = findings.filter((f) => f.allowedBy === undefined);
  return { ok: blocked.length === 0, blocked, allowed: findings.filter((f) => f.allowedBy) };
}

function replaceReasons(step: PreviewStep): string[] {
  const fromDiff = Object.entries(step.detailedDiff ?? {})
    .filter(([, d]) => d.kind.endsWith("-replace"))
    .map(([path]) => path);
  return [...(step.replaceReasons ?? []), ...fromDiff];
}

/** The report printed to the CI log: what, why, and how to allow it on purpose. */
export function formatGuardReport(result: GuardResult): string {
  const line = (f: GuardFinding) => {
    const why =
      f.reasons.length > 0
        ? `replacement forced by: ${f.reasons.join(", ")}`
        : f.ops.includes("delete")
          ? "the program no longer declares it (renamed? add an alias)"
          : "the provider did not say which properties force it";
    return `  ${f.ops.join("+")} ${f.type}\n    ${f.urn}\n    ${why}`;
  };
  const out: string[] = [];
  if (result.blocked.length > 0) {
    out.push(`preview guard: ${result.blocked.length} stateful resource(s) would be destroyed:`);
    out.push(...result.blocked.map(line));
    out.push(
      `If this is intended, rerun with --allow <urn-or-type> (or ${ALLOW_ENV}) for each of them.`,
    );
  } else {
    out.push("preview guard: no stateful resource is replaced or deleted.");
  }
  for (const f of result.allowed) out.push(`allowed by "${f.allowedBy}":\n${line(f)}`);
  return out.join("\n");
}

/** Command-line arguments: an optional file (stdin when absent or `-`) and `--allow` entries. */
export function parseArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): { file?: string; allow: string[] } {
  const allow = (env[ALLOW_ENV] ?? "")
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  let file: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--allow") {
      const value = argv[++i];
      if (!value) throw new PreviewFormatError("--allow needs a URN or a resource type");
      allow.push(value);
    } else if (arg.startsWith("--allow=")) {
      allow.push(arg.slice("--allow=".length));
    } else if (arg.startsWith("--")) {
      throw new PreviewFormatError(
        `unknown option ${arg}; usage: guard-preview [file] [--allow <urn-or-type>]...`,
      );
    } else if (file === undefined) {
      file = arg;
    } else {
      throw new PreviewFormatError(`one preview file at a time; got ${file} and ${arg}`);
    }
  }
  return { file: file === "-" ? undefined : file, allow };
}

/** Runs the guard as the CLI does and returns the exit code; output goes through `io`. */
export function runGuard(
  argv: readonly string[],
  io: {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly readFile: (file: string) => string;
    readonly readStdin: () => string;
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
  },
): number {
  try {
    const { file, allow } = parseArgs(argv, io.env);
    const text = file === undefined ? io.readStdin() : io.readFile(file);
    const result = guardPreview(parsePreview(text), { allow });
    (result.ok ? io.out : io.err)(formatGuardReport(result));
    return result.ok ? 0 : 1;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.err(`preview guard: ${message}`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = runGuard(process.argv.slice(2), {
    env: process.env,
    readFile: (file) => fs.readFileSync(file, "utf8"),
    readStdin: () => fs.readFileSync(0, "utf8"),
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  });
}
