import fc from "fast-check";
import { isConfigError } from "../../config/errors";
import { Config, parseConfig } from "../../config/load";
import { CONFIG_KEYS, configSchema } from "../../config/schema";
import { readStackConfig } from "../../tools/runner";

// Issue 9: whatever the engine hands over, parseConfig returns a valid, deeply frozen config or
// throws our ConfigError; never a TypeError, a RangeError or a zod error.

const { project, config: DEV } = readStackConfig("dev");
const { config: PROD } = readStackConfig("prod");
const CTX = { project, stack: "fuzz" };
const NS = `${project}:`;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

type Outcome = { config: Config } | { problems: readonly { key: string; rule: string }[] };

/** Parses, letting only a ConfigError through as a result: anything else fails the property. */
function outcome(raw: Record<string, string>): Outcome {
  try {
    return { config: parseConfig(raw, CTX) };
  } catch (error) {
    if (isConfigError(error)) {
      // Problems are data, and the message shows no character a terminal would hide.
      expect(error.problems.length).toBeGreaterThan(0);
      for (const line of error.message.split("\n")) expect(line).not.toMatch(INVISIBLE);
      for (const p of error.problems) {
        expect(p.key).toMatch(/^(platform:|aws:region$|\(stack name\)$)/);
        // zod's own wording never reaches the user: every rule says ours.
        expect(p.rule).not.toMatch(
          /Invalid input|Too (big|small)|expected \w+, received|Unrecognized/,
        );
        expect(`${p.key}${p.rule}`).not.toMatch(INVISIBLE);
      }
      return { problems: error.problems };
    }
    throw error;
  }
}

function expectDeeplyFrozen(value: unknown): void {
  if (value === null || typeof value !== "object") return;
  expect(Object.isFrozen(value)).toBe(true);
  for (const child of Object.values(value)) expectDeeplyFrozen(child);
}

/** The config as the engine would hand it over again: strings as-is, the rest as JSON. */
function toRaw(config: Config): Record<string, string> {
  const raw: Record<string, string> = { "aws:region": config.region };
  for (const key of CONFIG_KEYS) {
    const value: unknown = config[key];
    raw[`${NS}${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return raw;
}

let validSeen = 0;

/** A returned config is frozen, and parsing it again gives it back unchanged. */
function expectValid(result: Outcome): void {
  if (!("config" in result)) return;
  validSeen++;
  expectDeeplyFrozen(result.config);
  const again = parseConfig(toRaw(result.config), CTX);
  expect(again).toEqual(result.config);
}

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
  fc.constantFrom("", "true", "1e308", "-1", "1.30", "null", "[]", "{}", '{"__proto__":{}}'),
);
const projectKey = fc.oneof(
  fc.constantFrom(...CONFIG_KEYS),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor", "nodeGroup", "toString"),
);
const anyKey = fc.oneof(
  projectKey.map((k) => `${NS}${k}`),
  fc.constantFrom("aws:region", "aws:profile"),
  fc.string({ maxLength: 12 }),
);

/** Replaces one value somewhere inside a JSON value, following `steps` to pick the spot. */
function mutateAt(value: unknown, steps: readonly number[], replacement: unknown): unknown {
  if (steps.length === 0 || value === null || typeof value !== "object") return replacement;
  const [step, ...rest] = steps as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return [replacement];
    const i = step % value.length;
    return value.map((v, j) => (j === i ? mutateAt(v, rest, replacement) : v));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return { [`k${step}`]: replacement };
  const k = keys[step % keys.length]!;
  return { ...value, [k]: mutateAt((value as Record<string, unknown>)[k], rest, replacement) };
}

describe("parseConfig under arbitrary input", () => {
  it("returns a valid frozen config or throws a ConfigError, for arbitrary maps", () => {
    fc.assert(
      fc.property(fc.dictionary(anyKey, anyText, { maxKeys: 8 }), (raw) => {
        expectValid(outcome(raw));
      }),
      { numRuns: 200 },
    );
  });

  it("does the same for a real stack file with keys replaced, added or removed", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(DEV, PROD),
        fc.array(fc.tuple(anyKey, fc.option(anyText)), { minLength: 1, maxLength: 3 }),
        (base, changes) => {
          const raw = { ...base };
          for (const [key, text] of changes) {
            if (text === null) delete raw[key];
            else raw[key] = text;
          }
          expectValid(outcome(raw));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("does the same for a real stack file with a value changed deep inside a structured key", () => {
    const structured = ["nodeGroups", "services", "access", "tags", "addonVersions"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(DEV, PROD),
        fc.constantFrom(...structured),
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.jsonValue({ maxDepth: 2 }),
        (base, key, steps, replacement) => {
          const fullKey = `${NS}${key}`;
          const current: unknown = JSON.parse(
            base[fullKey] ?? JSON.stringify(configSchema.shape[key].parse(undefined)),
          );
          const raw = {
            ...base,
            [fullKey]: JSON.stringify(mutateAt(current, steps, replacement)) ?? "null",
          };
          expectValid(outcome(raw));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("met valid configs among the mutations, so the re-validation above ran", () => {
    expect(validSeen).toBeGreaterThan(10);
  });
});
