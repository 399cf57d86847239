import { spawn } from "child_process";
import { isConfigError } from "../config/errors";
import { Config, parseConfig } from "../config/load";
import { PlanArgs, USAGE, parseArgs } from "./report/args";
import { PlanReport, buildReport, toJson } from "./report/build";
import { Inventory, diffInventories } from "./report/inventory";
import { renderMarkdown } from "./report/markdown";
import { renderTable } from "./report/table";
import { readStackConfig, runStack } from "./runner";

/** Exit codes of `npm run plan`. */
export const ExitCode = { Ok: 0, MandatoryFailure: 1, InvalidConfig: 2, Error: 3 } as const;

/** Where the plan writes, and what a test may swap in. */
export interface PlanIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The program to run instead of index.ts (tests). */
  readonly program?: () => unknown;
}

const defaultIo: PlanIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** The SDKs index.ts loads, touched so their lazy modules load too: the benchmark's floor. */
function floorProgram(): unknown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const aws = require("@pulumi/aws") as Record<string, unknown>;
  const k8s = require("@pulumi/kubernetes") as Record<string, Record<string, unknown>>;
  require("@pulumi/awsx/ecr");
  require("@pulumi/random");
  /* eslint-enable @typescript-eslint/no-require-imports */
  void [aws.ec2, aws.eks, aws.iam, aws.kms, aws.ecr, aws.cloudwatch, aws.vpc];
  void [k8s.core, k8s.apps, k8s.policy, k8s.autoscaling, k8s.networking, k8s.helm];
  return () => Promise.resolve({});
}

/** What the benchmark reads from a run: peak memory, CPU time, resources. */
function rusage(resources: number) {
  const u = process.resourceUsage();
  return {
    maxRssKb: u.maxRSS,
    cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000),
    resources,
  };
}

/** Config overrides for `--services n`: the stack's services, then copies of its first, n in all. */
export function serviceOverrides(config: Config, n: number): Record<string, unknown> {
  const own = Object.entries(config.services).slice(0, n);
  const kept = new Set(own.map(([name]) => name));
  // The stack's own services (calls kept only to services that stay), then copies of the first
  // up to n; a copy takes no `host` of its own, which must be unique.
  const services = Object.fromEntries(
    own.map(([name, svc]) => [name, { ...svc, calls: svc.calls.filter((c) => kept.has(c)) }]),
  );
  const [name, first] = own[0] ?? ["app", undefined];
  const { host: _host, ...copy } = first ?? { calls: [] as string[] };
  for (let i = own.length; i < n; i++) services[`${name}-${i + 1}`] = copy as never;
  return { services };
}

/** Runs another stack's plan in a child process (the Pulumi runtime is global) for its inventory. */
function inventoryOf(stack: string): Promise<Pick<Inventory, "counts" | "keys">> {
  const args = ["-r", require.resolve("ts-node/register/transpile-only"), __filename];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, "--stack", stack, "--format", "json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === ExitCode.Ok || code === ExitCode.MandatoryFailure) {
        resolve((JSON.parse(out) as { inventory: Inventory }).inventory);
      } else {
        reject(
          new Error(`the plan of stack ${stack} failed (exit ${String(code)}):\n${err.trim()}`),
        );
      }
    });
  });
}

/** Validates the config first, so a bad value exits 2 before the program runs. */
function settingsOf(args: PlanArgs): Config {
  const read = (overrides: Readonly<Record<string, unknown>>) => {
    const { project, config } = readStackConfig(args.stack, overrides);
    return parseConfig(config, { project, stack: args.stack });
  };
  const config = read(args.overrides);
  return args.services === undefined
    ? config
    : read({ ...args.overrides, ...serviceOverrides(config, args.services) });
}

/**
 * `npm run plan`: runs one stack under the mocks and prints its inventory, policy findings
 * and cost. Returns the exit code: 0 fine, 1 a mandatory rule fails, 2 invalid config or
 * arguments, 3 the plan itself failed.
 */
export async function main(argv: readonly string[], io: PlanIo = defaultIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    io.stderr(`${args}\n\n${USAGE}\n`);
    return ExitCode.InvalidConfig;
  }
  try {
    const config = settingsOf(args);
    const overrides =
      args.services === undefined
        ? args.overrides
        : { ...args.overrides, ...serviceOverrides(config, args.services) };
    const other = args.compare === undefined ? undefined : inventoryOf(args.compare);
    // A rejection while this stack runs must not go unhandled; it is awaited below.
    other?.catch(() => undefined);
    // The plan is an offline `pulumi preview` of a deployed stack: placeholder values are
    // warnings, not errors, and outputs are known, as in a pull request's preview.
    const run = await runStack({
      stack: args.stack,
      overrides,
      dryRun: true,
      program: args.floor ? floorProgram : io.program,
    });
    let report: PlanReport = buildReport(run.resources, {
      stack: args.stack,
      project: run.project,
      // A stack on a cluster from a kubeconfig has no region and nothing AWS bills: any price
      // table gives it $0.
      region: config.region || "us-east-1",
      production: config.production,
      azCount: config.azCount,
      natTrafficGbPerMonth: config.natTrafficGbPerMonth,
      albRequestsPerSecond: config.frontDoor.requestsPerSecond,
    });
    if (other && args.compare !== undefined) {
      report = {
        ...report,
        compare: diffInventories([args.stack, args.compare], report.inventory, await other),
      };
    }
    io.stdout(
      args.format === "json"
        ? `${toJson(report)}\n`
        : args.format === "markdown"
          ? renderMarkdown(report)
          : renderTable(report),
    );
    if (process.env.PLAN_RUSAGE === "1") {
      io.stderr(`plan-rusage ${JSON.stringify(rusage(run.resources.length))}\n`);
    }
    return report.summary.mandatory > 0 ? ExitCode.MandatoryFailure : ExitCode.Ok;
  } catch (error) {
    if (isConfigError(error)) {
      io.stderr(`${error.message}\n`);
      return ExitCode.InvalidConfig;
    }
    io.stderr(
      `plan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.Error;
  }
}

/**
 * Ends the process as a failed plan (exit 3, one line) when a rejection surfaces after the run
 * has finished, such as an apply with a delayed callback, instead of a Node crash and a trace.
 * Install it once `main` has returned: during the run, `runStack` handles rejections itself.
 */
export function exitOnLateFailure(): void {
  process.on("unhandledRejection", (reason) => {
    process.stderr.write(
      `plan failed after the run: ${reason instanceof Error ? reason.message : String(reason)}\n`,
    );
    process.exit(ExitCode.Error);
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    exitOnLateFailure();
  });
}
