import { ConfigProblem, formatProblem, isConfigError } from "../../config/errors";
import { Config, parseConfig } from "../../config/load";
import { readStackConfig } from "../../tools/runner";

/** A real stack file to start from. */
export type BaseStack = "dev" | "prod";

/** One malformed configuration: a valid stack file with one change, and what must be said. */
export interface Case {
  /** What is wrong, for the test name. */
  readonly name: string;
  /** The stack file the change applies to. */
  readonly base: BaseStack;
  /** Keys to replace (short names get the project namespace; undefined deletes the key). */
  readonly change: Readonly<Record<string, unknown>>;
  /** The exact line the error must contain, or the problem's key and a part of its rule. */
  readonly expect: string | { readonly key: string; readonly rule: string };
  /** Run as a stack of this name instead of the base's. @default - the base's name */
  readonly stackName?: string;
}

/** Parses a real stack file merged with Pulumi.yaml defaults, with overrides, as the engine would. */
export function parseStack(
  base: BaseStack,
  overrides: Readonly<Record<string, unknown>> = {},
  stackName: string = base,
): Config {
  const { project, config } = readStackConfig(base, overrides);
  return parseConfig(config, { project, stack: stackName });
}

/** The problems a config is rejected with; fails when it is accepted or fails otherwise. */
export function problemsOf(
  base: BaseStack,
  overrides: Readonly<Record<string, unknown>>,
  stackName?: string,
): readonly ConfigProblem[] {
  try {
    parseStack(base, overrides, stackName);
  } catch (error) {
    if (isConfigError(error)) return error.problems;
    throw error;
  }
  throw new Error(`accepted a config that should be rejected: ${JSON.stringify(overrides)}`);
}

/** Asserts a case is rejected with a ConfigError saying what its `expect` says. */
export function expectRejected(c: Case): void {
  const problems = problemsOf(c.base, c.change, c.stackName);
  const lines = problems.map(formatProblem);
  if (typeof c.expect === "string") {
    expect(lines).toContain(c.expect);
  } else {
    expect(problems).toContainEqual(
      expect.objectContaining({ key: c.expect.key, rule: expect.stringContaining(c.expect.rule) }),
    );
  }
  // The message the user sees names the key on the problem's line.
  const key = typeof c.expect === "string" ? c.expect.split(": ")[0]! : c.expect.key;
  expect(() => parseStack(c.base, c.change, c.stackName)).toThrow(`  - ${key}: `);
}

/** The node group of the dev stack file, to change one field of. */
export const DEV_GROUP = {
  instanceTypes: ["t3.medium", "t3a.medium"],
  capacityType: "SPOT",
  minSize: 1,
  desiredSize: 2,
  maxSize: 3,
} as const;

/** The dev node group with some fields replaced (undefined removes one). */
export function devGroup(fields: Record<string, unknown>): Record<string, unknown> {
  const group: Record<string, unknown> = { ...DEV_GROUP, ...fields };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete group[k];
  return { nodeGroups: { general: group } };
}

/** The dev service `app` with some fields replaced. */
export function devService(fields: Record<string, unknown>): Record<string, unknown> {
  return { services: { app: { minReplicas: 1, maxReplicas: 2, expose: "internet", ...fields } } };
}

/** The prod service `app` with some fields replaced. */
export function prodService(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    services: {
      app: {
        minReplicas: 3,
        maxReplicas: 10,
        cpu: "250m",
        memory: "256Mi",
        expose: "internet",
        ...fields,
      },
    },
  };
}
