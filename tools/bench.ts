import { spawn } from "child_process";
import * as path from "path";

/** One thing to measure: a plan command line. */
interface Scenario {
  readonly name: string;
  readonly args: readonly string[];
  /** Services in the stack, for the per-service slope. */
  readonly services?: number;
}

/** One measured run. */
interface Sample {
  readonly wallMs: number;
  /** User + system CPU time of the child: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly resources: number;
}

/**
 * What `npm run bench` compares: the floor (the same SDKs loaded under the same mocks, nothing
 * registered), the real dev and prod stacks, and prod with 1, 10 and 50 services.
 */
export const SCENARIOS: readonly Scenario[] = [
  { name: "floor", args: ["--stack", "prod", "--floor"] },
  { name: "dev", args: ["--stack", "dev"] },
  { name: "prod", args: ["--stack", "prod"] },
  { name: "prod, 1 service", args: ["--stack", "prod", "--services", "1"], services: 1 },
  { name: "prod, 10 services", args: ["--stack", "prod", "--services", "10"], services: 10 },
  { name: "prod, 50 services", args: ["--stack", "prod", "--services", "50"], services: 50 },
];

/** Runs the plan once in a child process; the child reports its peak RSS (`PLAN_RUSAGE=1`). */
function measure(scenario: Scenario): Promise<Sample> {
  const node = [
    "-r",
    require.resolve("ts-node/register/transpile-only"),
    path.join(__dirname, "plan.ts"),
  ];
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...node, ...scenario.args, "--format", "json"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, PLAN_RUSAGE: "1" },
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const line = /^plan-rusage (.*)$/m.exec(err)?.[1];
      if ((code !== 0 && code !== 1) || line === undefined) {
        reject(new Error(`${scenario.name}: plan exited ${String(code)}\n${err}`));
        return;
      }
      const usage = JSON.parse(line) as { maxRssKb: number; cpuMs: number; resources: number };
      resolve({ wallMs, ...usage });
    });
  });
}

/** The median of a non-empty list. */
export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Rows of cells as lines, each column right-aligned to its widest cell. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padStart(widths[c]!)).join("  "));
}

/** The benchmark's report: medians, ratios to the floor and per-service slopes. */
export function summarise(results: ReadonlyMap<Scenario, readonly Sample[]>): string {
  const stats = [...results].map(([s, samples]) => ({
    scenario: s,
    resources: samples[0]?.resources ?? 0,
    wall: median(samples.map((x) => x.wallMs)),
    wallMin: Math.min(...samples.map((x) => x.wallMs)),
    wallMax: Math.max(...samples.map((x) => x.wallMs)),
    cpu: median(samples.map((x) => x.cpuMs)),
    rssMb: median(samples.map((x) => x.maxRssKb)) / 1024,
  }));
  const floor = stats.find((s) => s.scenario.name === "floor");
  const rows = [
    [
      "scenario",
      "resources",
      "wall ms (median)",
      "min-max",
      "CPU ms",
      "peak RSS MB",
      "time/floor",
      "CPU/floor",
      "memory/floor",
    ],
    ...stats.map((s) => [
      s.scenario.name,
      String(s.resources),
      s.wall.toFixed(0),
      `${s.wallMin.toFixed(0)}-${s.wallMax.toFixed(0)}`,
      s.cpu.toFixed(0),
      s.rssMb.toFixed(1),
      floor ? (s.wall / floor.wall).toFixed(2) : "-",
      floor ? (s.cpu / floor.cpu).toFixed(2) : "-",
      floor ? (s.rssMb / floor.rssMb).toFixed(2) : "-",
    ]),
  ];
  const lines = alignColumns(rows);
  const sized = stats.filter((s) => s.scenario.services !== undefined);
  const slope = (a: (typeof stats)[number], b: (typeof stats)[number]) => {
    const n = b.scenario.services! - a.scenario.services!;
    return {
      ms: (b.wall - a.wall) / n,
      cpu: (b.cpu - a.cpu) / n,
      mb: (b.rssMb - a.rssMb) / n,
      resources: (b.resources - a.resources) / n,
    };
  };
  for (let i = 1; i < sized.length; i++) {
    const a = sized[i - 1]!;
    const b = sized[i]!;
    const s = slope(a, b);
    lines.push(
      `per service, ${a.scenario.services} -> ${b.scenario.services}: ${s.ms.toFixed(1)} ms wall, ${s.cpu.toFixed(1)} ms CPU, ${s.mb.toFixed(2)} MB, ${s.resources.toFixed(1)} resources`,
    );
  }
  return lines.join("\n");
}

/** `npm run bench [-- --runs n]`: every scenario, interleaved, several times each. */
async function main(argv: readonly string[]): Promise<void> {
  const i = argv.indexOf("--runs");
  const runs = i >= 0 ? Number(argv[i + 1]) : 3;
  const results = new Map<Scenario, Sample[]>(SCENARIOS.map((s) => [s, []]));
  for (let r = 0; r < runs; r++) {
    // Interleaved, so a slow moment of a shared machine hits every scenario alike.
    for (const s of SCENARIOS) {
      const sample = await measure(s);
      results.get(s)!.push(sample);
      process.stderr.write(`run ${r + 1}/${runs} ${s.name}: ${sample.wallMs.toFixed(0)} ms\n`);
    }
  }
  console.log(summarise(results));
  console.log("The program's start under the real engine: npm run bench:engine -- --engine CACHE");
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
