import * as pulumi from "@pulumi/pulumi";
import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { ConfigError, ConfigProblem, showValue } from "./errors";
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
    /** `aws:region`. */
    region: string;
  }
>;

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/**
 * Turns a stack's raw config map (every value a string, keys `<namespace>:<key>`, as the
 * Pulumi engine passes it) into the typed, frozen {@link Config}. Throws one
 * {@link ConfigError} listing every problem; never anything else.
 */
export function parseConfig(
  raw: Readonly<Record<string, string>>,
  ctx: { readonly project: string; readonly stack: string },
): Config {
  const ns = `${ctx.project}:`;
  const key = (path: string) => (path.startsWith("(") ? path : `${ns}${path}`);
  const problems: ConfigProblem[] = [];
  const input: Record<string, unknown> = {};

  for (const [fullKey, value] of Object.entries(raw)) {
    if (!fullKey.startsWith(ns)) continue;
    const name = fullKey.slice(ns.length);
    if (!(CONFIG_KEYS as string[]).includes(name)) {
      problems.push({
        key: fullKey,
        rule: `is not a known key${suggest(name, CONFIG_KEYS)}`,
        value: showValue(value),
      });
      continue;
    }
    input[name] = decode(configSchema.shape[name as keyof typeof configSchema.shape], value);
  }

  const region = raw["aws:region"];
  if (region === undefined || region === "") {
    problems.push({
      key: "aws:region",
      rule: "is required: set it with `pulumi config set aws:region us-east-1`",
    });
  } else if (!REGION.test(region)) {
    problems.push({
      key: "aws:region",
      rule: "must be an AWS region name such as us-east-1",
      value: showValue(region),
    });
  }

  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.flatMap((issue) => fromZodIssue(issue, input, key)));
  } else {
    problems.push(...crossFieldProblems(parsed.data, ctx, key));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(ctx.stack, problems);

  return deepFreeze({ ...parsed.data, project: ctx.project, stack: ctx.stack, region: region! });
}

/** Reads and validates the running stack's config; call it before creating any resource. */
export function loadConfig(): Config {
  return parseConfig(pulumi.runtime.allConfig(), {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
  });
}

/**
 * The engine hands every value over as a string: objects, arrays, numbers and booleans as
 * JSON. String keys keep the raw text (so `1.30` stays `"1.30"`); others are parsed as JSON,
 * falling back to the text so the schema reports the type error with the value received.
 */
function decode(schema: z.ZodType, value: string): unknown {
  if (baseType(schema) === "string" || baseType(schema) === "enum") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function baseType(schema: z.ZodType): string {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } };
  while (s.def.innerType ?? (s.def.type === "pipe" ? s.def.in : undefined)) {
    s = (s.def.innerType ?? s.def.in) as typeof s;
  }
  return s.def.type;
}

/** The object schema at a path, to suggest the nearest key for an unknown one. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let s = configSchema as unknown as {
    def: Record<string, unknown>;
    shape?: Record<string, unknown>;
  };
  const unwrap = () => {
    for (;;) {
      const d = s.def as { innerType?: unknown; in?: unknown; type: string };
      if (d.innerType) s = d.innerType as typeof s;
      else if (d.type === "pipe" && d.in) s = d.in as typeof s;
      else return;
    }
  };
  unwrap();
  for (const segment of path) {
    const d = s.def as { type: string; valueType?: unknown; element?: unknown };
    if (d.type === "object" && s.shape) s = s.shape[String(segment)] as typeof s;
    else if (d.type === "record") s = d.valueType as typeof s;
    else if (d.type === "array") s = d.element as typeof s;
    else return [];
    if (!s) return [];
    unwrap();
  }
  return s.shape ? Object.keys(s.shape) : [];
}

function suggest(name: string, known: readonly string[]): string {
  if (known.length === 0) return "";
  const best = closest(name, known);
  const close =
    distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(name.length / 3));
  return close ? `; did you mean "${best}"?` : `; known keys: ${known.join(", ")}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) =>
      v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined,
    input,
  );
}

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

function fromZodIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  key: (path: string) => string,
): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((k) => ({
      key: key(pathText([...issue.path, k])),
      rule: `is not a known key${suggest(k, known)}`,
      value: showValue(valueAt(input, [...issue.path, k])),
    }));
  }
  const value = valueAt(input, issue.path);
  const at = issue.code === "invalid_key" ? `${pathText(issue.path)} (key)` : pathText(issue.path);
  if (value === undefined && issue.code === "invalid_type") {
    return [{ key: key(at), rule: `is required and ${issue.message}` }];
  }
  return [
    {
      key: key(at),
      rule: issue.message,
      value: showValue(issue.code === "invalid_key" ? issue.path.at(-1) : value),
    },
  ];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
