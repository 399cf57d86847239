import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  ENGINE_SCENARIOS,
  EngineSample,
  ProbeRecord,
  startMs,
  summariseEngine,
} from "../../tools/bench-engine";
import { PROJECT_DIR } from "../../tools/runner";

const record = (
  role: ProbeRecord["role"],
  firstResourceMs: number | null,
  exitMs: number,
  maxRssKb: number,
): ProbeRecord => ({ role, firstResourceMs, exitMs, maxRssKb });

describe("the real-engine benchmark", () => {
  it("compares the engine's start and peak memory with the offline plan's, against 1.5x", () => {
    const [local, broken] = ENGINE_SCENARIOS;
    const sample = (engineStart: number, engineKb: number): EngineSample => ({
      engine: record("engine", engineStart, 9000, engineKb),
      cliWallMs: 12000,
      offline: record("offline", 2000, 4000, 200 * 1024),
    });
    const results = new Map([
      [local!, [sample(2400, 220 * 1024), sample(2600, 240 * 1024), sample(9000, 900 * 1024)]],
      [broken!, [sample(20000, 3400 * 1024)]],
    ]);
    const text = summariseEngine(results);
    // local medians: engine 2600 ms and 240 MB against 2000 ms and 200 MB.
    expect(text).toMatch(/local: preview\s+2600\s+2000\s+1\.30\s+240\s+200\s+1\.20\s+9000\s+12000/);
    expect(text).toContain("local: preview: start 1.30x, memory 1.20x the offline plan");
    expect(text).toContain("(target <= 1.5x): met");
    expect(text).toContain("dev, config error: preview: start 10.00x, memory 17.00x");
    expect(text).toMatch(/memory 17\.00x .*NOT met/);
  });

  it("times a program that registers no resource (a config error) to its exit", () => {
    expect(startMs(record("engine", null, 3100, 1))).toBe(3100);
    expect(startMs(record("engine", 1200, 3100, 1))).toBe(1200);
  });

  it("probes the first resource after the stack, under the mocks as under the engine", () => {
    // A stand-in plan: the probe only acts in a process whose script is tools/plan.ts.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-"));
    fs.mkdirSync(path.join(dir, "tools"));
    const script = path.join(dir, "tools", "plan.ts");
    const pulumiPath = require.resolve("@pulumi/pulumi", { paths: [PROJECT_DIR] });
    fs.writeFileSync(
      script,
      `const pulumi = require(${JSON.stringify(pulumiPath)});
       pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: {} }), call: () => ({}) });
       pulumi.runtime.runInPulumiStack(async () => { new pulumi.CustomResource("test:x:Thing", "a", {}); });`,
    );
    const out = path.join(dir, "probe.jsonl");
    const r = spawnSync(process.execPath, ["--require", "../../tools/engine-probe.js", script], {
      cwd: __dirname,
      env: { ...process.env, PLATFORM_BENCH_PROBE: out },
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    const [line, ...rest] = fs.readFileSync(out, "utf8").trim().split("\n");
    fs.rmSync(dir, { recursive: true, force: true });
    expect(rest).toEqual([]);
    const probe = JSON.parse(line!) as ProbeRecord;
    expect(probe.role).toBe("offline");
    expect(probe.firstResourceMs).toBeGreaterThan(0);
    expect(probe.exitMs).toBeGreaterThanOrEqual(probe.firstResourceMs!);
    expect(probe.maxRssKb).toBeGreaterThan(10 * 1024);
  });
});
