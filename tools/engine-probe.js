// Preloaded by `npm run bench:engine` (NODE_OPTIONS=--require) into the processes it measures:
// the program's process under the real engine (node …/@pulumi/pulumi/cmd/run) and the offline
// plan (node … tools/plan.ts). Plain JavaScript, so it loads before ts-node does and measures the
// same thing in both. It appends one JSON line to $PLATFORM_BENCH_PROBE at exit:
//   firstResourceMs  ms from process start to the program's first resource (the first
//                    registration that is not the stack itself), or null if there was none
//   exitMs           ms from process start to exit
//   maxRssKb         peak resident memory of the process
// Other processes (the language host's `node -e`, `node --version`) are left alone.
"use strict";

const out = process.env.PLATFORM_BENCH_PROBE;
const script = process.argv[1] || "";
const role = /cmd[\\/]run([\\/]index\.js)?$/.test(script)
  ? "engine"
  : /tools[\\/]plan\.ts$/.test(script)
    ? "offline"
    : undefined;

if (out && role) {
  const fs = require("fs");
  const Module = require("module");
  let firstResourceMs = null;
  // Both the engine and the mocks register through @pulumi/pulumi/runtime/resource's
  // `registerResource`, which the SDK calls through the module's exports object.
  const load = Module._load;
  Module._load = function (...args) {
    const exports = load.apply(this, args);
    if (
      exports &&
      typeof exports.registerResource === "function" &&
      typeof exports.registerResourceOutputs === "function" &&
      !exports.registerResource.probed
    ) {
      const register = exports.registerResource;
      const probed = function (res, parent, type, ...rest) {
        if (firstResourceMs === null && type !== "pulumi:pulumi:Stack") {
          firstResourceMs = performance.now();
        }
        return register.call(this, res, parent, type, ...rest);
      };
      probed.probed = true;
      exports.registerResource = probed;
    }
    return exports;
  };
  process.on("exit", () => {
    const record = {
      role,
      firstResourceMs,
      exitMs: performance.now(),
      maxRssKb: process.resourceUsage().maxRSS,
    };
    fs.appendFileSync(out, `${JSON.stringify(record)}\n`);
  });
}
