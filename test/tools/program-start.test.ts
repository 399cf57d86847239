import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "../..");
const read = (file: string) => {
  const { config, error } = ts.readConfigFile(path.join(root, file), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  return config as { "ts-node"?: Record<string, unknown>; compilerOptions: object };
};

describe("how a pulumi preview compiles the program", () => {
  it("uses swc without a type check, as jest does: npm test type-checks, not every preview", () => {
    // With ts-node's type check the local stack's program took 21 s and 1 GB to its first
    // resource under the real engine; with swc 3.5 s and 240 MB (npm run bench:engine).
    expect(read("tsconfig.json")["ts-node"]).toEqual({ swc: true });
  });

  it("keeps npm run typecheck's type check (no noCheck); bootstrap/ inherits the setting", () => {
    expect(read("tsconfig.json").compilerOptions).not.toHaveProperty("noCheck");
    // swc compiles file by file: the type check refuses what that cannot compile.
    expect(read("tsconfig.json").compilerOptions).toHaveProperty("isolatedModules", true);
    expect(fs.readFileSync(path.join(root, "bootstrap/tsconfig.json"), "utf8")).toContain(
      '"extends": "../tsconfig.json"',
    );
  });

  it("type-checks in the deploy jobs before pulumi up, as pulumi up no longer does", () => {
    const deploy = fs.readFileSync(path.join(root, ".github/workflows/deploy.yml"), "utf8");
    const jobs = deploy.split(/\n {2}(?=dev:|prod:)/).slice(1);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job.indexOf("npm run typecheck")).toBeGreaterThan(0);
      expect(job.indexOf("npm run typecheck")).toBeLessThan(job.indexOf("command: up"));
    }
  });
});
