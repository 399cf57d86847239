import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { ConfigProblem, escapeInvisible, showValue } from "./errors";
import { configSchema } from "./schema";

/** Turns a path inside the config into its key text: `nodeGroups.general.instanceTypes[0]`. */
export function pathText(path: readonly PropertyKey[]): string {
  return escapeInvisible(
    path
      .map((p, i) =>
        typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${cut(String(p), MAX_NAME)}`,
      )
      .join(""),
  );
}

// Names longer than any real key are cut in messages, and not compared with every known key.
const MAX_NAME = 64;
const MAX_LISTED_CHARACTERS = 3;

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 3).join("")}...` : text;
}

/** The rule for an unknown key: the nearest known one, or the list when none is near. */
export function unknownKeyRule(name: string, known: readonly string[]): string {
  const foreign = [...new Set([...name].filter((ch) => ch.codePointAt(0)! > 0x7e || ch < " "))];
  const listed = foreign.slice(0, MAX_LISTED_CHARACTERS).map(codePoint).join(", ");
  const more = foreign.length > MAX_LISTED_CHARACTERS ? " and others" : "";
  const note = foreign.length > 0 ? ` (it contains ${listed}${more}, which no key has)` : "";
  return `is not a known key${note}${suggest(name, known)}`;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

function suggest(name: string, known: readonly string[]): string {
  if (known.length === 0) return "";
  if (name.length > MAX_NAME) return `; known keys: ${known.join(", ")}`;
  const best = closest(name, known);
  const near =
    distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(name.length / 3));
  return near ? `; did you mean "${best}"?` : `; known keys: ${known.join(", ")}`;
}

/** A schema under its defaults, optionals and pipes: the one that checks the value's type. */
export function innerSchema(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } };
  for (;;) {
    const next = s.def.innerType ?? (s.def.type === "pipe" ? s.def.in : undefined);
    if (!next) return s;
    s = next;
  }
}

type Walkable = z.ZodType & {
  def: { type: string; valueType?: z.ZodType; element?: z.ZodType };
  shape?: Record<string, z.ZodType>;
};

/** The keys of the object schema at a path, to suggest the nearest one for an unknown key. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let s = innerSchema(configSchema) as Walkable;
  for (const segment of path) {
    const next =
      s.def.type === "object" && s.shape
        ? s.shape[String(segment)]
        : s.def.type === "record"
          ? s.def.valueType
          : s.def.type === "array"
            ? s.def.element
            : undefined;
    if (!next) return [];
    s = innerSchema(next);
  }
  return s.shape ? Object.keys(s.shape) : [];
}

/** The value at a path of the decoded input, for the message to echo. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) =>
      v !== null && typeof v === "object" && Object.hasOwn(v, k)
        ? (v as Record<PropertyKey, unknown>)[k]
        : undefined,
    input,
  );
}

/**
 * One zod issue as problems naming the full key, the rule and the value received. `path`
 * starts with the top-level key; `key(path)` adds the namespace.
 */
export function fromZodIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  key: (path: string) => string,
): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((k) => ({
      key: key(pathText([...issue.path, k])),
      rule: unknownKeyRule(k, known),
      value: showValue(valueAt(input, [...issue.path, k])),
    }));
  }
  if (issue.code === "invalid_key") {
    // The record's own message would hide why the key is wrong: use the key schema's.
    const rules = [...new Set(issue.issues.map((i) => i.message))];
    return [
      {
        key: key(`${pathText(issue.path)} (key)`),
        rule: rules.join("; "),
        value: showValue(issue.path.at(-1)),
      },
    ];
  }
  const value = valueAt(input, issue.path);
  const at = key(pathText(issue.path));
  if (value === undefined && issue.code === "invalid_type") {
    return [{ key: at, rule: `is required and ${issue.message}` }];
  }
  const shown =
    issue.code === "custom" && issue.params && "value" in issue.params ? issue.params.value : value;
  return [{ key: at, rule: issue.message, value: showValue(shown) }];
}
