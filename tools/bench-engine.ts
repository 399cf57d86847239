import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { alignColumns, median } from "./bench";
import { PROJECT_DIR } from "./runner";

/**
 * `npm run bench:engine -- --engine CACHE [--runs n]`: what a `pulumi preview` costs before it
 * does anything, under the real engine, beside the offline plan of the same program and config,
 * measured in one run. For each scenario the program's own process is measured (the node process
 * the language host starts, and the plan's process), by `tools/engine-probe.js`:
 *   start   ms from process start to the program's first resource, or, on the config-error
 *           path, which registers none, to the process's exit
 *   memory  the process's peak resident memory
 * Scenarios: `preview -s local` (clusterSource kubeconfig, into the engine's control plane), and
 * `preview -s dev` with `platform:azCount: 1` (a config error; no AWS call is made). Targets:
 * the engine within 1.5x of the offline plan in both.
 * Needs an engine built by `../shared/engine/build-engine.sh CACHE` with its cluster up
 * (`… CACHE up`); the project is copied to a temporary folder with a file backend, as the e2e
 * does, and every HTTP(S) request other than to 127.0.0.1 goes to a dead proxy.
 */

/** One scenario: a stack, and the invalid value it is given, if any. */
export interface EngineScenario {
  readonly name: string;
  readonly stack: string;
  /** A config key set to an invalid value: the preview must fail with an error naming the key. */
  readonly invalid?: { readonly key: string; readonly value: string };
}

export const ENGINE_SCENARIOS: readonly EngineScenario[] = [
  { name: "local: preview", stack: "local" },
  {
    name: "dev, config error: preview",
    stack: "dev",
    invalid: { key: "platform:azCount", value: "1" },
  },
];

/** What the probe writes for one process. */
export interface ProbeRecord {
  readonly role: "engine" | "offline";
  readonly firstResourceMs: number | null;
  readonly exitMs: number;
  readonly maxRssKb: number;
}

/** One measured run of a scenario: the engine's program process, the CLI around it, the plan. */
export interface EngineSample {
  readonly engine: ProbeRecord;
  readonly cliWallMs: number;
  readonly offline: ProbeRecord;
}

const TARGET = 1.5;

/** The start figure: to the first resource, or to the exit where the program registers none. */
export const startMs = (r: ProbeRecord): number => r.firstResourceMs ?? r.exitMs;

/** The report: medians per scenario, engine beside offline, ratios against the 1.5x target. */
export function summariseEngine(results: ReadonlyMap<EngineScenario, readonly EngineSample[]>) {
  const header = [
    "scenario",
    "engine start ms",
    "offline start ms",
    "start ratio",
    "engine peak MB",
    "offline peak MB",
    "memory ratio",
    "engine exit ms",
    "preview wall ms",
  ];
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const [scenario, samples] of results) {
    const m = (f: (s: EngineSample) => number) => median(samples.map(f));
    const engineStart = m((s) => startMs(s.engine));
    const offlineStart = m((s) => startMs(s.offline));
    const engineMb = m((s) => s.engine.maxRssKb) / 1024;
    const offlineMb = m((s) => s.offline.maxRssKb) / 1024;
    const time = engineStart / offlineStart;
    const memory = engineMb / offlineMb;
    rows.push([
      scenario.name,
      engineStart.toFixed(0),
      offlineStart.toFixed(0),
      time.toFixed(2),
      engineMb.toFixed(0),
      offlineMb.toFixed(0),
      memory.toFixed(2),
      m((s) => s.engine.exitMs).toFixed(0),
      m((s) => s.cliWallMs).toFixed(0),
    ]);
    const ok = time <= TARGET && memory <= TARGET;
    verdicts.push(
      `${scenario.name}: start ${time.toFixed(2)}x, memory ${memory.toFixed(2)}x the offline plan (target <= ${TARGET}x): ${ok ? "met" : "NOT met"}`,
    );
  }
  return [...alignColumns([header, ...rows]), ...verdicts].join("\n");
}

/** The engine's environment: its CLI and plugins, the cluster, no AWS, no downloads. */
function engineEnv(engine: string, state: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")),
  );
  const proxy = "http://127.0.0.1:9";
  return {
    ...env,
    PATH: `${path.join(engine, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(engine, "pulumi-home"),
    KUBECONFIG: path.join(engine, "cluster", "admin.kubeconfig"),
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: "bench-local-only",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    ...{ HTTP_PROXY: proxy, HTTPS_PROXY: proxy, http_proxy: proxy, https_proxy: proxy },
    ...{ NO_PROXY: "127.0.0.1", no_proxy: "127.0.0.1" },
  };
}

/** Runs a command; throws with its output unless its exit code is one of `ok`. */
function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, ok = [0]) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  if (!ok.includes(r.status ?? -1)) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${String(r.status)}:\n${r.stdout}${r.stderr}`);
  }
  return { wallMs, output: `${r.stdout}${r.stderr}` };
}

/** The cluster of the engine, if it is up and on 127.0.0.1; else why not. */
function clusterProblem(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const server = spawnSync(
    "kubectl",
    ["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"],
    { env, cwd, encoding: "utf8" },
  );
  if (!/^https:\/\/127\.0\.0\.1:\d+$/.test(server.stdout ?? "")) {
    return `the engine's cluster is not https://127.0.0.1:<port> (got "${server.stdout ?? ""}")`;
  }
  const ready = spawnSync("kubectl", ["get", "--raw", "/readyz"], { env, cwd, encoding: "utf8" });
  return ready.status === 0
    ? undefined
    : "the engine's cluster is not up: run build-engine.sh CACHE up";
}

/** The project copy the previews run in: stack files, stacks, node_modules linked. */
function prepareProject(tmp: string, env: NodeJS.ProcessEnv): string {
  const project = path.join(tmp, "project");
  fs.cpSync(PROJECT_DIR, project, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|\.git)$/.test(src),
  });
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(project, "node_modules"));
  fs.mkdirSync(path.join(tmp, "state"));
  for (const s of ENGINE_SCENARIOS) {
    run("pulumi", ["stack", "init", s.stack, "--non-interactive"], project, env);
    if (s.invalid === undefined) continue;
    run("pulumi", ["config", "set", "-s", s.stack, s.invalid.key, s.invalid.value], project, env);
  }
  return project;
}

/** The probe's record for one role, from a fresh file. */
function probed(file: string, role: ProbeRecord["role"]): ProbeRecord {
  const records = fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ProbeRecord)
    .filter((r) => r.role === role);
  if (records.length !== 1)
    throw new Error(`expected one ${role} probe record, got ${records.length}`);
  return records[0]!;
}

/** One run of a scenario: the preview under the engine, then the offline plan. */
function measure(s: EngineScenario, project: string, env: NodeJS.ProcessEnv, tmp: string) {
  const file = path.join(tmp, `probe-${s.stack}.jsonl`);
  const probe = { NODE_OPTIONS: `--require ${path.join(__dirname, "engine-probe.js")}` };
  const withProbe = { ...env, ...probe, PLATFORM_BENCH_PROBE: file };
  const expected = s.invalid === undefined ? [0] : [255, 1];
  fs.rmSync(file, { force: true });
  const preview = run(
    "pulumi",
    ["preview", "-s", s.stack, "--non-interactive"],
    project,
    withProbe,
    expected,
  );
  if (s.invalid !== undefined && !preview.output.includes(s.invalid.key)) {
    throw new Error(`${s.name}: the preview did not report ${s.invalid.key}:\n${preview.output}`);
  }
  const engine = probed(file, "engine");
  const plan = ["-r", require.resolve("ts-node/register/transpile-only"), "tools/plan.ts"];
  const args = [...plan, "--stack", s.stack, "--format", "json"];
  run(process.execPath, args, project, withProbe, s.invalid === undefined ? [0, 1] : [2]);
  return { engine, cliWallMs: preview.wallMs, offline: probed(file, "offline") };
}

function main(argv: readonly string[]): number {
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const engine = at("--engine") ?? process.env.PLATFORM_ENGINE_CACHE;
  const runs = Number(at("--runs") ?? 3);
  if (engine === undefined || !fs.existsSync(path.join(engine, "bin", "pulumi"))) {
    console.log("bench:engine: skipped: no engine (--engine CACHE, built by build-engine.sh)");
    return 2;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "platform-bench-engine-"));
  try {
    const env = engineEnv(path.resolve(engine), path.join(tmp, "state"));
    const problem = clusterProblem(env, tmp);
    if (problem !== undefined) {
      console.log(`bench:engine: skipped: ${problem}`);
      return 2;
    }
    const project = prepareProject(tmp, env);
    const results = new Map<EngineScenario, EngineSample[]>(ENGINE_SCENARIOS.map((s) => [s, []]));
    for (let r = 0; r < runs; r++) {
      // Interleaved, so a slow moment of a shared machine hits every scenario alike.
      for (const s of ENGINE_SCENARIOS) {
        const sample = measure(s, project, env, tmp);
        results.get(s)!.push(sample);
        process.stderr.write(
          `run ${r + 1}/${runs} ${s.name}: engine ${startMs(sample.engine).toFixed(0)} ms, offline ${startMs(sample.offline).toFixed(0)} ms\n`,
        );
      }
    }
    console.log(`bench:engine: ${runs} runs, medians; ${os.cpus().length} cores`);
    console.log(summariseEngine(results));
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e: unknown) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
