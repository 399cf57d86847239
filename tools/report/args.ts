/** Output formats of `npm run plan`. */
export const Format = { Table: "table", Json: "json", Markdown: "markdown" } as const;
/** An output format. */
export type Format = (typeof Format)[keyof typeof Format];

/** What the command line asked for. */
export interface PlanArgs {
  readonly stack: string;
  readonly format: Format;
  /** Another stack to compare the inventory with. */
  readonly compare?: string;
  /** Config keys to replace (`--set key=value`, value parsed as JSON when it is JSON). */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** Replace the stack's services with this many copies of its first one (for the benchmark). */
  readonly services?: number;
  /** Run a program that loads the SDKs and registers nothing (the benchmark's floor). */
  readonly floor: boolean;
}

/** The usage text. */
export const USAGE = `usage: npm run plan -- --stack <name> [--format table|json|markdown] [--compare <stack>]
                     [--set <key>=<value>]... [--services <n>]

Runs index.ts under Pulumi mocks with the stack's config and prints its resource inventory,
policy findings and monthly cost estimate. Exit codes: 0 fine, 1 a mandatory policy rule
fails, 2 invalid config or arguments.`;

const parseValue = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Parses the command line; returns an error sentence instead of throwing. */
export function parseArgs(argv: readonly string[]): PlanArgs | string {
  let stack: string | undefined;
  let format: Format = Format.Table;
  let compare: string | undefined;
  let services: number | undefined;
  let floor = false;
  const overrides: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--")))
        throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      switch (flag) {
        case "--stack":
        case "-s":
          stack = value();
          break;
        case "--format": {
          const f = value();
          if (!(Object.values(Format) as string[]).includes(f)) {
            return `--format must be one of ${Object.values(Format).join(", ")}; got ${JSON.stringify(f)}`;
          }
          format = f as Format;
          break;
        }
        case "--compare":
          compare = value();
          break;
        case "--set": {
          const kv = value();
          const eq = kv.indexOf("=");
          if (eq <= 0) return `--set needs key=value; got ${JSON.stringify(kv)}`;
          overrides[kv.slice(0, eq)] = parseValue(kv.slice(eq + 1));
          break;
        }
        case "--services": {
          const n = Number(value());
          if (!Number.isInteger(n) || n < 1 || n > 500)
            return `--services must be a whole number from 1 to 500`;
          services = n;
          break;
        }
        case "--floor":
          floor = true;
          break;
        default:
          return `unknown argument ${JSON.stringify(arg)}`;
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (stack === undefined) return "--stack is required";
  if (compare === stack) return "--compare must name another stack";
  return { stack, format, compare, overrides, services, floor };
}
