// The SDK's modules, not its index: the index loads the Automation API (npm's arborist and
// pacote), ~0.7 s that a config error would otherwise wait for (README, "How long a preview takes").
import { RunError } from "@pulumi/pulumi/errors";

/** One problem found in a stack's config: the key, the rule it breaks and the value received. */
export interface ConfigProblem {
  /** The full config key, with a path inside structured values: `platform:nodeGroups.general.minSize`. */
  readonly key: string;
  /** The rule, phrased as a requirement: "must be an integer from 1 to 6". */
  readonly rule: string;
  /** The value received, as text; absent when the key is missing. */
  readonly value?: string;
}

/** The most problems a {@link ConfigError} message lists; `problems` always holds them all. */
export const MAX_LISTED_PROBLEMS = 50;

/** Formats one problem as the line the user sees. */
export function formatProblem(problem: ConfigProblem): string {
  const got = problem.value === undefined ? "" : `; got ${problem.value}`;
  return `${problem.key}: ${problem.rule}${got}`;
}

/**
 * Every problem in a stack's config, thrown once before any resource is registered.
 *
 * It extends Pulumi's `RunError`, which the Node.js language host prints as its message alone,
 * without a stack trace: a config mistake is the user's to fix, not a bug to debug.
 */
export class ConfigError extends RunError {
  /** Marks instances across copies of this module (jest loads modules per test file). */
  readonly isConfigError = true;

  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${formatProblem(p)}`);
    if (problems.length > MAX_LISTED_PROBLEMS) {
      listed.push(`  - ... and ${problems.length - MAX_LISTED_PROBLEMS} more`);
    }
    super(
      `Invalid config for stack "${stackName}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        listed.join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** True for a {@link ConfigError} from any copy of this module (jest loads one per test file). */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { isConfigError?: unknown }).isConfigError === true
  );
}

// Control and format characters (zero-width space, right-to-left override...), line and
// paragraph separators, private-use, unassigned and lone surrogate code points: invisible or
// misleading in a terminal, so a message shows them as \uXXXX escapes instead.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Escapes the characters a terminal would hide or reorder (`\u200B`, `\u202E`), so a key or
 * value in a message reads as what was received. Printable text, Unicode letters included,
 * is left alone.
 */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (ch) =>
    Array.from(
      { length: ch.length },
      (_, i) => `\\u${ch.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0")}`,
    ).join(""),
  );
}

/** Shows a received value the way the message echoes it: strings quoted, long ones cut. */
export function showValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = "nothing";
  else if (typeof value === "number" || typeof value === "bigint") text = String(value);
  else if (typeof value === "string") text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      // Cycles cannot come from JSON, but a value nested past the call stack can.
      text = Array.isArray(value) ? "a list" : typeof value;
    }
  }
  const chars = Array.from(escapeInvisible(text));
  return chars.length > 80 ? `${chars.slice(0, 77).join("")}...` : chars.join("");
}
