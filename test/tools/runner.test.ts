import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  MOCK_SECRET,
  PROJECT_DIR,
  RunOptions,
  StackRun,
  readStackConfig,
} from "../../tools/runner";

/** A throwaway project folder holding a Pulumi.yaml and one stack file. */
function project(stackFile: string, pulumiYaml = "name: demo\nruntime: nodejs\n"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-test-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
  fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), stackFile);
  return dir;
}

const configOf = (
  stackFile: string,
  overrides: Record<string, unknown> = {},
  pulumiYaml?: string,
) => readStackConfig("s", overrides, project(stackFile, pulumiYaml));

describe("readStackConfig: the config as the Pulumi CLI hands it to the program", () => {
  it.each([
    ["1.30", "1.30"],
    ["True", "True"],
    ["0x10", "0x10"],
    ["3", "3"],
    ['"1.30"', "1.30"],
    ["~", ""],
    ["", ""],
  ])(
    "keeps the stack file scalar %j as written, as the CLI reads it into a string",
    (yaml, text) => {
      expect(configOf(`config:\n  demo:key: ${yaml}\n`).config["demo:key"]).toBe(text);
    },
  );

  it("passes lists and maps as JSON of their parsed values", () => {
    const { config } = configOf(
      "config:\n  demo:list: [api, audit]\n  demo:map:\n    version: 1.30\n    on: true\n",
    );
    expect(config["demo:list"]).toBe('["api","audit"]');
    expect(config["demo:map"]).toBe('{"version":1.3,"on":true}');
  });

  it("starts from Pulumi.yaml defaults, which the stack file and then overrides replace", () => {
    const pulumiYaml =
      "name: demo\nruntime: nodejs\nconfig:\n  a: {type: integer, default: 1}\n  b: {type: string, default: x}\n  c: {type: boolean, default: true}\n";
    const { project: name, config } = configOf(
      "config:\n  demo:b: y\n  aws:region: us-east-1\n",
      { c: undefined, d: { k: 1 } },
      pulumiYaml,
    );
    expect(name).toBe("demo");
    expect(config).toEqual({
      "demo:a": "1",
      "demo:b": "y",
      "demo:d": '{"k":1}',
      "aws:region": "us-east-1",
    });
  });

  it("replaces secure values, top-level or nested, with a placeholder and lists their keys as secret", () => {
    const { config, secretKeys } = configOf(
      "config:\n  demo:token:\n    secure: AAABAGx\n  demo:services:\n    app:\n      env:\n        TOKEN:\n          secure: AAABAHk\n        MODE: fast\n  demo:plain: x\n",
    );
    expect(config["demo:token"]).toBe(MOCK_SECRET);
    expect(JSON.parse(config["demo:services"]!)).toEqual({
      app: { env: { TOKEN: MOCK_SECRET, MODE: "fast" } },
    });
    expect(secretKeys.sort()).toEqual(["demo:services", "demo:token"]);
  });

  it("reads a map that merely has a key named secure as plain config", () => {
    const { config, secretKeys } = configOf(
      "config:\n  demo:tags:\n    secure: yes\n    team: web\n",
    );
    expect(JSON.parse(config["demo:tags"]!)).toEqual({ secure: "yes", team: "web" });
    expect(secretKeys).toEqual([]);
  });

  it("forgets that a key was secret once an override replaces or deletes it", () => {
    const file = "config:\n  demo:a:\n    secure: AAA\n  demo:b:\n    secure: BBB\n";
    expect(configOf(file, { a: "plain", b: undefined })).toEqual({
      project: "demo",
      config: { "demo:a": "plain" },
      secretKeys: [],
    });
  });
});

describe("runStack", () => {
  /** One run in a module registry of its own: the Pulumi runtime keeps global state. */
  async function run(options: Omit<RunOptions, "stack">): Promise<StackRun> {
    let result: Promise<StackRun> | undefined;
    await jest.isolateModulesAsync(async () => {
      const runner = await import("../../tools/runner");
      result = runner.runStack({ stack: "dev", ...options });
      await result.catch(() => undefined);
    });
    return result!;
  }

  it("does not call a default export, as the language host does not for a CommonJS program", async () => {
    await expect(
      run({ stack: "test", projectDir: path.join(__dirname, "fixtures/default-export") } as never),
    ).rejects.toThrow("index.ts registered nothing but the stack");
  });

  it("hands the program the mock harness's message for an invoke it does not know", async () => {
    const { outputs } = await run({
      program: () => async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const aws = require("@pulumi/aws") as typeof import("@pulumi/aws");
        new aws.s3.Bucket("bucket");
        return aws.ec2.getAmi({ owners: ["amazon"] }).then(
          () => ({ message: "answered" }),
          (error: Error) => ({ message: error.message }),
        );
      },
    });
    expect(outputs.message).toBe(
      "mock harness: no answer for invoke aws:ec2/getAmi:getAmi; add a realistic one to tools/mocks.ts",
    );
  });
});

// Each scenario in its own process, as `npm run plan` runs: outside jest, an unhandled
// rejection the runner does not catch kills the process with a stack trace and exit code 1.
const SCENARIOS = [
  ["the program throws", "Error: boom in the program"],
  ["an apply nobody awaits throws", "Error: boom in an apply"],
  ["a stack output's apply throws", "Error: boom in an output"],
] as const;
const LATE = "an apply fails after the run has finished";

type Exit = { code: number | null; stdout: string; stderr: string };

function planOf(scenario: string): Promise<Exit> {
  const fixture = path.join(__dirname, "fixtures", "failing-plan.ts");
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", fixture, scenario],
    { cwd: PROJECT_DIR, timeout: 30_000 },
  );
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out.stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, ...out })));
}

const exits = new Map<string, Exit>();
beforeAll(async () => {
  const names = [...SCENARIOS.map(([scenario]) => scenario), LATE];
  const results = await Promise.all(names.map(planOf));
  names.forEach((scenario, i) => exits.set(scenario, results[i]!));
}, 60_000);

describe("npm run plan on a failing program", () => {
  it.each(SCENARIOS)("exits 3 with the error, once, when %s", (scenario, error) => {
    const exit = exits.get(scenario)!;
    expect(exit.stdout).toBe("");
    expect(exit.stderr.startsWith(`plan failed: ${error}\n`)).toBe(true);
    // A crash would print the error a second time, with Node's own trace.
    expect(exit.stderr.split(error)).toHaveLength(2);
    expect(exit.code).toBe(3);
  });

  it("exits 3 with one line, not a crash, when an apply fails after the run has finished", () => {
    const exit = exits.get(LATE)!;
    expect(exit.stderr).toMatch(/plan failed( after the run)?: (Error: )?boom after the run\n/);
    expect(exit.stderr.split("boom after the run")).toHaveLength(2);
    expect(exit.code).toBe(3);
  });
});
