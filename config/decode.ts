/**
 * Keys no map in the config may use: JSON gives them to us as own properties, but assigning
 * `__proto__` to a plain object replaces its prototype (zod silently drops it), and
 * `constructor` or `prototype` shadow what every object inherits.
 */
export const RESERVED_PROPERTY_NAMES = ["__proto__", "constructor", "prototype"] as const;

/** A problem found while decoding, at a path inside the value. */
export interface DecodeProblem {
  readonly path: readonly PropertyKey[];
  readonly rule: string;
  /** The value to echo. */
  readonly value: unknown;
  /** The problem is with a map key rather than a value. */
  readonly isKey: boolean;
}

/** A decoded config value and what was wrong with its text. */
export interface Decoded {
  readonly value: unknown;
  readonly problems: readonly DecodeProblem[];
}

// The schema is at most five levels deep; anything deeper fails its type check anyway.
const MAX_DEPTH = 8;

/**
 * Turns the engine's text for a key into the value the schema checks. Scalars of string keys
 * keep their raw text (so `1.30` stays `"1.30"`); everything else is parsed as JSON, falling
 * back to the text so the schema reports the type error with the value received. A list or
 * map given to a string key is decoded too, so the message says it is not a string.
 * Repeated JSON keys (the last would silently win) and reserved property names are reported.
 */
export function decodeValue(text: string, isString: boolean): Decoded {
  if (isString && !/^\s*[[{]/.test(text)) return { value: text, problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { value: text, problems: [] };
  }
  if (isString && (parsed === null || typeof parsed !== "object")) {
    return { value: text, problems: [] };
  }
  const problems: DecodeProblem[] = [];
  if (typeof parsed === "object" && parsed !== null) {
    for (const path of repeatedKeys(text)) {
      problems.push({
        path,
        rule: "must not be given twice: JSON keeps only the last",
        value: path.at(-1),
        isKey: true,
      });
    }
  }
  return { value: withoutReservedKeys(parsed, [], problems), problems };
}

/** Copies a JSON value without reserved property names, reporting each one. */
function withoutReservedKeys(
  value: unknown,
  path: readonly PropertyKey[],
  problems: DecodeProblem[],
): unknown {
  if (typeof value !== "object" || value === null || path.length > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    return value.map((item, i) => withoutReservedKeys(item, [...path, i], problems));
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if ((RESERVED_PROPERTY_NAMES as readonly string[]).includes(key)) {
      problems.push({
        path: [...path, key],
        rule: `must not be used as a key: ${RESERVED_PROPERTY_NAMES.join(", ")} are reserved JavaScript property names`,
        value: key,
        isKey: true,
      });
      continue;
    }
    copy[key] = withoutReservedKeys(
      (value as Record<string, unknown>)[key],
      [...path, key],
      problems,
    );
  }
  return copy;
}

/**
 * The paths of object keys that appear twice in one object of a JSON text. `JSON.parse` keeps
 * the last silently; a YAML stack file cannot repeat a key, but a value set as a JSON string
 * with `pulumi config set` can. The text must be valid JSON.
 */
export function repeatedKeys(text: string): PropertyKey[][] {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[{}[\]:,]/g) ?? [];
  const frames: { keys?: Set<string>; index: number; member?: PropertyKey }[] = [];
  const repeats: PropertyKey[][] = [];
  tokens.forEach((token, i) => {
    const top = frames.at(-1);
    if (token === "{") frames.push({ keys: new Set(), index: 0 });
    else if (token === "[") frames.push({ index: 0, member: 0 });
    else if (token === "}" || token === "]") frames.pop();
    else if (token === ",") {
      if (top && !top.keys) top.member = ++top.index;
    } else if (top?.keys && tokens[i + 1] === ":") {
      const key = JSON.parse(token) as string;
      top.member = key;
      if (top.keys.has(key)) repeats.push(frames.map((f) => f.member ?? ""));
      top.keys.add(key);
    }
  });
  return repeats;
}
