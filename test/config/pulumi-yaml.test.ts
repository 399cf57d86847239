import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEYS, configSchema } from "../../config/schema";
import { PROJECT_DIR } from "../../tools/runner";

// Pulumi.yaml declares every scalar key, with the schema's default; structured keys live only
// in the schema and the stack files, because Pulumi.yaml has no object type.

interface Declaration {
  type?: unknown;
  description?: unknown;
  default?: unknown;
  items?: { type?: unknown };
}

const project = parseYaml(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
  config: Record<string, Declaration>;
};
const declared = project.config;
const defaults = configSchema.parse({}) as Record<string, unknown>;

/** The Pulumi.yaml type of a schema key, or "object" for a structured key. */
function pulumiType(key: (typeof CONFIG_KEYS)[number]): string {
  let s = configSchema.shape[key] as unknown as {
    def: { type: string; innerType?: unknown; in?: unknown };
  };
  while (s.def.innerType ?? (s.def.type === "pipe" ? s.def.in : undefined)) {
    s = (s.def.innerType ?? s.def.in) as typeof s;
  }
  const types: Record<string, string> = {
    boolean: "boolean",
    number: "integer",
    string: "string",
    enum: "string",
    array: "array",
  };
  return types[s.def.type] ?? "object";
}

const scalarKeys = CONFIG_KEYS.filter((k) => pulumiType(k) !== "object");
const structuredKeys = CONFIG_KEYS.filter((k) => pulumiType(k) === "object");

describe("Pulumi.yaml", () => {
  it("leaves the structured keys to the schema and the stack files", () => {
    expect(structuredKeys).toEqual([
      "access",
      "nodeGroups",
      "nodePools",
      "services",
      "frontDoor",
      "addonVersions",
      "tags",
    ]);
    for (const key of structuredKeys) expect(declared).not.toHaveProperty(key);
  });

  it.each(scalarKeys)("declares %s with a type, a description and a default", (key) => {
    const d = declared[key];
    expect(d).toEqual(
      expect.objectContaining({
        type: pulumiType(key),
        description: expect.stringMatching(/\S/),
        default: expect.anything(),
      }),
    );
  });

  it.each(scalarKeys)("gives %s the schema's default", (key) => {
    expect(declared[key]?.default).toEqual(defaults[key]);
  });

  it("declares lists as lists of strings", () => {
    for (const key of scalarKeys.filter((k) => pulumiType(k) === "array")) {
      expect(declared[key]?.items).toEqual({ type: "string" });
    }
  });

  it("declares only keys the schema knows", () => {
    expect(Object.keys(declared).filter((k) => !(CONFIG_KEYS as string[]).includes(k))).toEqual([]);
  });

  it("uses only the types Pulumi.yaml supports (no object)", () => {
    const types = new Set(Object.values(declared).map((d) => d.type));
    for (const type of types) expect(["string", "boolean", "integer", "array"]).toContain(type);
  });
});
