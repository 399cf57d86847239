import { execFileSync } from "child_process";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/runner";

// A bad config must fail before the first resource: index.ts calls loadConfig() first, so the
// engine sees the stack and nothing else. The run happens in its own process
// (bad-stack-run.ts, through test/harness.ts runStack): the Pulumi runtime re-rejects the
// failed stack promise on purpose, so the language host reports it, and jest would fail on it.

interface Run {
  registered: string[];
  error?: { name: string; message: string; isConfigError: boolean };
  otherFailures: string[];
}

let run: Run;
beforeAll(() => {
  const overrides = {
    azCount: "seven",
    services: { app: { minReplicas: 1, maxReplicas: 2, expose: "world" } },
  };
  const out = execFileSync(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join(__dirname, "bad-stack-run.ts"),
      "dev",
      JSON.stringify(overrides),
    ],
    { cwd: PROJECT_DIR, encoding: "utf8", timeout: 20_000 },
  );
  run = JSON.parse(out) as Run;
});

describe("a stack with a bad config", () => {
  it("fails with a ConfigError listing every problem", () => {
    expect(run.error).toEqual({
      name: "ConfigError",
      isConfigError: true,
      message:
        'Invalid config for stack "dev" (2 problems):\n' +
        '  - platform:azCount: must be an integer from 2 to 6; got "seven"\n' +
        '  - platform:services.app.expose: must be one of none, internal, internet; got "world"',
    });
  });

  it("fails with nothing but that error", () => {
    expect(run.otherFailures).toEqual([]);
  });

  it("registers the stack and nothing else", () => {
    expect(run.registered).toEqual(["pulumi:pulumi:Stack::platform-dev"]);
  });
});
