// The SDK's modules, not its index: the index loads the Automation API (npm's arborist and
// pacote), ~0.7 s that a config error would otherwise wait for (README, "How long a preview takes").
import { allConfig } from "@pulumi/pulumi/runtime/config";
import { getProject, getStack } from "@pulumi/pulumi/runtime/settings";
import { distance } from "fastest-levenshtein";
import { ClusterSource } from "./cluster-source";
import { decodeValue } from "./decode";
import { ConfigError, ConfigProblem, escapeInvisible, formatProblem, showValue } from "./errors";
import { fromZodIssue, innerSchema, pathText, unknownKeyRule } from "./issues";
import { crossFieldProblems } from "./rules";
import { CONFIG_KEYS, ProjectSettings, configSchema } from "./schema";

/** Makes every nested field read-only. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The whole validated config of a stack: the project's keys plus where it deploys. */
export type Config = DeepReadonly<
  ProjectSettings & {
    /** The Pulumi project name, the namespace of the config keys. */
    project: string;
    /** The stack name. */
    stack: string;
    /** `aws:region`; empty when `clusterSource` is kubeconfig and it is not set. */
    region: string;
  }
>;

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
type Key = keyof typeof configSchema.shape;

/**
 * Turns a stack's raw config map (every value a string, keys `<namespace>:<key>`, as the
 * Pulumi engine passes it) into the typed, frozen {@link Config}. Throws one
 * {@link ConfigError} listing every problem, one line each, sorted by key; never anything else.
 *
 * Every key is checked on its own, and the rules that relate keys run on those that passed,
 * so one run reports every problem instead of a second round after the first is fixed.
 */
export function parseConfig(
  raw: Readonly<Record<string, string>>,
  ctx: { readonly project: string; readonly stack: string },
): Config {
  const ns = `${ctx.project}:`;
  // "(stack name)" is not a key of the namespace: a rule on the stack the config is for.
  const key = (path: string) => (path === "(stack name)" ? path : `${ns}${path}`);
  const problems: ConfigProblem[] = [];
  const input: Partial<Record<Key, unknown>> = {};

  for (const [fullKey, text] of Object.entries(raw)) {
    if (!fullKey.startsWith(ns)) continue;
    const name = fullKey.slice(ns.length);
    if (!Object.hasOwn(configSchema.shape, name)) {
      problems.push({
        key: key(pathText([name])),
        rule: unknownKeyRule(name, CONFIG_KEYS),
        value: showValue(text),
      });
      continue;
    }
    const schema = configSchema.shape[name as Key];
    const decoded =
      typeof text === "string"
        ? decodeValue(text, ["string", "enum"].includes(innerSchema(schema).def.type))
        : { value: text as unknown, problems: [] };
    for (const p of decoded.problems) {
      const at = pathText([name, ...p.path]);
      problems.push({
        key: key(p.isKey ? `${at} (key)` : at),
        rule: p.rule,
        value: showValue(p.value),
      });
    }
    input[name as Key] = decoded.value;
  }

  const region = raw["aws:region"];
  // A cluster from a kubeconfig needs no AWS region: the stack creates nothing on AWS.
  const regionRequired = raw[`${ns}clusterSource`] !== ClusterSource.Kubeconfig;
  if ((region === undefined || region === "") && regionRequired) {
    const typo = Object.keys(raw).find(
      (k) => k.startsWith("aws:") && k.length < 16 && distance(k.toLowerCase(), "aws:region") <= 2,
    );
    const hint =
      typo !== undefined && typo !== "aws:region" ? ` (is "${escapeInvisible(typo)}" a typo?)` : "";
    problems.push({
      key: "aws:region",
      rule: `is required: set it with \`pulumi config set aws:region us-east-1\`${hint}`,
    });
  } else if (
    region !== undefined &&
    region !== "" &&
    (typeof region !== "string" || !REGION.test(region))
  ) {
    problems.push({
      key: "aws:region",
      rule: "must be an AWS region name such as us-east-1",
      value: showValue(region),
    });
  }

  const settings: Partial<Record<Key, unknown>> = {};
  for (const name of CONFIG_KEYS) {
    const result = configSchema.shape[name].safeParse(input[name]);
    if (result.success) settings[name] = result.data;
    else {
      for (const issue of result.error.issues) {
        problems.push(...fromZodIssue({ ...issue, path: [name, ...issue.path] }, input, key));
      }
    }
  }
  problems.push(
    ...crossFieldProblems(settings as Partial<ProjectSettings>, { ...ctx, region }, key),
  );

  if (problems.length > 0) throw new ConfigError(ctx.stack, sortedUnique(problems));
  return deepFreeze({
    ...(settings as ProjectSettings),
    project: ctx.project,
    stack: ctx.stack,
    region: region ?? "",
  });
}

/** Reads and validates the running stack's config; call it before creating any resource. */
export function loadConfig(): Config {
  return parseConfig(allConfig(), {
    project: getProject(),
    stack: getStack(),
  });
}

/** The problems in key order, each line once: stable, whatever order the engine sent keys in. */
function sortedUnique(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .filter((p) => {
      const line = formatProblem(p);
      if (seen.has(line)) return false;
      seen.add(line);
      return true;
    });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
