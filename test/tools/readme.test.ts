import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { RULES } from "../../policy/rules";
import { configTable } from "../../tools/config-table";
import { readBlock, replaceBlock } from "../../tools/readme-blocks";

const root = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

describe("the README", () => {
  it("has a config reference that agrees with Pulumi.yaml and the stack files (run `npm run readme`)", () => {
    expect(readBlock(readme, "config")).toBe(configTable().trim());
  });

  it("lists every key Pulumi.yaml declares", () => {
    const table = readBlock(readme, "config") ?? "";
    const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    };
    const declared = Object.keys(project.config);
    expect(declared.length).toBeGreaterThan(20);
    for (const key of declared) expect(table).toContain(`| \`${key}\` |`);
  });

  it("names as its test command the one CI runs", () => {
    const ci = fs.readFileSync(path.join(root, ".ci/run"), "utf8");
    expect(readme).toContain("npm ci ");
    expect(readme).toContain("npm test ");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});

describe("docs/plan.md", () => {
  const doc = fs.readFileSync(path.join(root, "docs/plan.md"), "utf8");
  const rows = doc.split("\n").filter((line) => /^\| `[a-z0-9-]+` \|/.test(line));

  it("lists every policy rule once, with its severity, enforcement and description", () => {
    const expected = RULES.map((rule) => {
      const e = rule.enforcement;
      const enforcement =
        typeof e === "string" ? e : `${e.production} in production, else ${e.otherwise}`;
      return `| \`${rule.id}\` | ${rule.severity} | ${enforcement} | ${rule.description} |`;
    });
    expect(rows).toEqual(expected);
  });
});

describe("README generated blocks", () => {
  it("replaces only the content between the markers", () => {
    const text = "a\n<!-- x:start -->\nold\n<!-- x:end -->\nb";
    expect(replaceBlock(text, "x", "new")).toBe("a\n<!-- x:start -->\nnew\n<!-- x:end -->\nb");
  });

  it("refuses to write a block whose markers are missing", () => {
    expect(() => replaceBlock("no markers", "cost", "x")).toThrow(
      "README.md has no <!-- cost:start --> ... <!-- cost:end --> block",
    );
  });
});
