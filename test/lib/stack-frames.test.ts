import * as fs from "fs";
import * as path from "path";
import { inspect } from "util";
import {
  CallSiteLike,
  installStackRepair,
  isLoopingFrame,
  repairStack,
} from "../../lib/stack-frames";

const site = (text: string, fn: string | null = "f"): CallSiteLike => ({
  toString: () => text,
  getFunctionName: () => fn,
});

describe("stack frames Node 20 can inspect", () => {
  it.each([
    ["    at async Stack.init (/p/node_modules/@pulumi/resource.ts:1598:22)", true],
    ["    at f (/app/node_modules/foo.js:1:1)", true],
    ["    at f (C:\\p\\node_modules\\@pulumi\\output.ts:10:2)", true],
    ["    at f (/p/node_modules/@pulumi/pulumi/resource.js:300:13)", false],
    ["    at f (/p/node_modules/@pulumi/runtime/stack.ts:78:28)", false],
    ["    at f (/p/config/load.ts:116:34)", false],
    ["  - platform:azCount: see /p/node_modules/@x/y", false],
  ])("%s loops Node 20's inspect: %s", (line, loops) => {
    expect(isLoopingFrame(line)).toBe(loops);
  });

  it("prints a looping frame as V8 saw it and leaves every other line alone", () => {
    const formatted = [
      "ConfigError: Invalid config (1 problem):",
      "  - platform:azCount: must be an integer from 2 to 6; got 1",
      "    at parseConfig (/p/config/load.ts:116:34)",
      "    at async Stack.init (/p/node_modules/@pulumi/resource.ts:1598:22)",
    ].join("\n");
    const frames = [
      site("parseConfig (/p/config/load.ts:90:3)"),
      site("async Stack.init (/p/node_modules/@pulumi/pulumi/resource.js:1234:5)"),
    ];
    expect(repairStack(formatted, frames).split("\n")).toEqual([
      "ConfigError: Invalid config (1 problem):",
      "  - platform:azCount: must be an integer from 2 to 6; got 1",
      "    at parseConfig (/p/config/load.ts:116:34)",
      "    at async Stack.init (/p/node_modules/@pulumi/pulumi/resource.js:1234:5)",
    ]);
  });

  it("leaves the location out when the real file would loop too", () => {
    const formatted = "Error: x\n    at g (/a/node_modules/foo.js:1:1)";
    expect(repairStack(formatted, [site("g (/a/node_modules/foo.js:1:1)", "g")])).toBe(
      "Error: x\n    at g (location left out: nodejs/node#64011)",
    );
  });

  it("returns a stack of another shape as it is", () => {
    const formatted = "Error: x\n    at f (/p/node_modules/@s/a.ts:1:1)";
    expect(repairStack(formatted, [])).toBe(formatted);
    expect(repairStack(formatted, [site("a"), site("b"), site("c")])).toBe(formatted);
  });

  describe("installed over a source-map formatter that writes the SDK's phantom paths", () => {
    const saved = Error.prepareStackTrace;
    afterEach(() => {
      Error.prepareStackTrace = saved;
    });

    it("gives errors stacks that inspect with colors in one pass", () => {
      // What source-map support does with the SDK's maps: every frame in a phantom .ts file.
      Error.prepareStackTrace = (error, frames) =>
        `${error.name}: ${error.message}` +
        frames.map(() => "\n    at x (/p/node_modules/@pulumi/resource.ts:1598:22)").join("");
      installStackRepair();
      installStackRepair(); // idempotent: one wrapper
      const error = new Error("boom");
      const lines = error.stack!.split("\n");
      expect(lines.filter(isLoopingFrame)).toEqual([]);
      expect(lines[1]).toContain(path.basename(__filename));
      // Without the repair this call grows a string for ~20 s until V8 throws RangeError.
      expect(inspect(error, { colors: true })).toContain("boom");
    });
  });

  it("is installed by the first import of index.ts, so errors thrown while components load are covered", () => {
    const source = fs.readFileSync(path.join(__dirname, "../../index.ts"), "utf8");
    expect(/^import .*$/m.exec(source)?.[0]).toBe('import "./lib/stack-frames-guard";');
  });
});
