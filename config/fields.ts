import { z } from "zod";
import {
  Cidr,
  KUBERNETES_SERVICE_CIDR,
  PRIVATE_RANGES,
  blockSize,
  contains,
  overlaps,
  parseCidr,
} from "../lib/cidr";

// The building blocks of config/schema.ts. Every one carries its own message: a zod default
// ("Invalid input: expected string") never reaches the user.

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** An integer in a range, checked once so an out-of-range number gets one line, not two. */
export const int = (min: number, max: number) => {
  const rule = `must be an integer from ${min} to ${max}`;
  return z
    .number({ error: rule })
    .refine((v) => Number.isInteger(v) && v >= min && v <= max, { error: rule });
};

/** `true` or `false`. */
export const bool = () => z.boolean({ error: "must be true or false" });

/** One of a closed set of strings. */
export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(", ")}` });

/** A string matching a pattern; the rule says what the pattern means. */
export const text = (pattern: RegExp, rule: string) =>
  z.string({ error: rule }).regex(pattern, { error: rule });

/** Empty, or a string matching a pattern. */
export const optionalText = (pattern: RegExp, rule: string) =>
  z.string({ error: rule }).refine((v) => v === "" || pattern.test(v), { error: rule });

/** A list of items. */
export const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `must be a list of ${what}` });

/** A map from names to values. */
export const map = <K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(
  key: K,
  value: V,
  what: string,
) => z.record(key, value, { error: `must be a map of ${what}` });

/**
 * Runs a rule over several fields of an object even when a sibling field failed, so one run
 * reports every problem (zod skips it otherwise). The rule checks the fields it reads.
 */
export const onObject = {
  when: (p: { value: unknown }) =>
    typeof p.value === "object" && p.value !== null && !Array.isArray(p.value),
};

/** {@link onObject} for lists: the rule runs even when an item failed. */
export const onList = { when: (p: { value: unknown }) => Array.isArray(p.value) };

/** True when a value passes a schema. */
export const valid = (schema: z.ZodType, value: unknown): boolean =>
  schema.safeParse(value).success;

/** A rule rejecting a list that names an item twice, pointing at the repeat. */
export const noRepeats =
  (what: string) =>
  (items: readonly unknown[], ctx: z.RefinementCtx<readonly unknown[]>): void => {
    const seen = new Set<unknown>();
    items.forEach((item, i) => {
      if (typeof item !== "string") return;
      if (seen.has(item)) {
        ctx.addIssue({ code: "custom", path: [i], message: `must not repeat ${what}` });
      }
      seen.add(item);
    });
  };

/** A CloudWatch Logs retention period. */
export const retention = () =>
  z
    .number({ error: "must be a CloudWatch Logs retention in days" })
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
      error: `must be one of the CloudWatch Logs retention periods (${LOG_RETENTION_DAYS.join(", ")})`,
    });

/** An IPv4 CIDR block with no host bits set. */
export const cidr = () =>
  z.string({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16" }).superRefine((v, ctx) => {
    const parsed = parseCidr(v);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  });

/** Ranges no internet client has: private, "this network", loopback, link-local, multicast and reserved. */
export const NON_PUBLIC_RANGES = [
  ...PRIVATE_RANGES,
  "0.0.0.0/8",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "224.0.0.0/3",
];

const blocks = (texts: readonly string[]) => texts.map((t) => parseCidr(t) as Cidr);
const PRIVATE = blocks(PRIVATE_RANGES);
const NON_PUBLIC = blocks(NON_PUBLIC_RANGES);
const SERVICE_CIDR = parseCidr(KUBERNETES_SERVICE_CIDR) as Cidr;
const within = (block: Cidr, outer: readonly Cidr[]) => outer.some((o) => contains(o, block));

/**
 * The VPC block: a /16 (the largest AWS allows) to a /24, in private address space, clear of
 * the Kubernetes service CIDR.
 */
export const vpcCidr = () =>
  cidr().superRefine((v, ctx) => {
    const block = parseCidr(v);
    if (typeof block === "string") return;
    if (block.prefix < 16 || block.prefix > 24) {
      ctx.addIssue({ code: "custom", message: "must be a /16 to /24 block" });
    }
    if (!within(block, PRIVATE)) {
      ctx.addIssue({
        code: "custom",
        message: `must lie in private address space (${PRIVATE_RANGES.join(", ")})`,
      });
    }
    if (overlaps(block, SERVICE_CIDR)) {
      ctx.addIssue({
        code: "custom",
        message: `must not overlap the cluster's Kubernetes service CIDR ${KUBERNETES_SERVICE_CIDR} (lib/cidr.ts): pods could not reach the VPC addresses it shadows`,
      });
    }
  });

/** A block of internet addresses: a private or reserved range never reaches a public endpoint. */
export const publicCidr = () =>
  cidr().superRefine((v, ctx) => {
    const block = parseCidr(v);
    if (typeof block !== "string" && within(block, NON_PUBLIC)) {
      ctx.addIssue({
        code: "custom",
        message: `must be a block of internet addresses, outside ${NON_PUBLIC_RANGES.join(", ")}`,
      });
    }
  });

/**
 * A rule rejecting the CIDR blocks of a list named `name` that overlap another, reported at
 * the later of the two. Sorting first keeps a long hostile list from taking quadratic time.
 */
export const noOverlaps =
  (name: string) =>
  (items: readonly unknown[], ctx: z.RefinementCtx<readonly unknown[]>): void => {
    const blocks = items
      .map((item, i) => ({ i, block: typeof item === "string" ? parseCidr(item) : "invalid" }))
      .filter((e): e is { i: number; block: Cidr } => typeof e.block !== "string")
      .sort((a, b) =>
        a.block.base < b.block.base ? -1 : a.block.base > b.block.base ? 1 : a.i - b.i,
      );
    let widest: { i: number; end: bigint } | undefined;
    for (const { i, block } of blocks) {
      const end = block.base + blockSize(block.prefix);
      if (widest && block.base < widest.end) {
        const [earlier, later] = widest.i < i ? [widest.i, i] : [i, widest.i];
        ctx.addIssue({
          code: "custom",
          path: [later],
          message: `must not overlap ${name}[${earlier}] (${String(items[earlier])})`,
        });
      }
      if (!widest || end > widest.end) widest = { i, end };
    }
  };
