import * as pulumi from "@pulumi/pulumi";

/** One problem found in a stack's config: the key, the rule it breaks and the value received. */
export interface ConfigProblem {
  /** The full config key, with a path inside structured values: `platform:nodeGroups.general.minSize`. */
  readonly key: string;
  /** The rule, phrased as a requirement: "must be an integer from 1 to 6". */
  readonly rule: string;
  /** The value received, as text; absent when the key is missing. */
  readonly value?: string;
}

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
export class ConfigError extends pulumi.RunError {
  /** Marks instances across copies of this module (jest loads modules per test file). */
  readonly isConfigError = true;

  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid config for stack "${stackName}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
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

/** Shows a received value the way the message echoes it: strings quoted, long ones cut. */
export function showValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = "nothing";
  else if (typeof value === "string") text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
