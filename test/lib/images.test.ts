import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildTag, contextHash, dockerPlatform, imageRefProblem } from "../../lib/images";

const DIGEST = "a".repeat(64);

describe("imageRefProblem", () => {
  it.each([
    `123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-dev/app@sha256:${DIGEST}`,
    `ghcr.io/acme/app@sha256:${DIGEST}`,
    `registry.local:5000/team/app@sha256:${DIGEST}`,
  ])("accepts %s", (ref) => {
    expect(imageRefProblem("imageRef", ref)).toBeUndefined();
  });

  it.each([
    ["a tag", "ghcr.io/acme/app:1.2.3"],
    ["no registry", `app@sha256:${DIGEST}`],
    ["a short digest", "ghcr.io/acme/app@sha256:abc"],
    ["upper-case hex", `ghcr.io/acme/app@sha256:${"A".repeat(64)}`],
  ])("rejects %s with an exact message", (_, ref) => {
    expect(imageRefProblem("imageRef", ref)).toBe(
      `imageRef must be an image reference by digest: <registry>/<repository>@sha256:<64 hex>; got ${JSON.stringify(ref)}`,
    );
  });
});

describe("dockerPlatform", () => {
  it.each([
    ["x86_64", "linux/amd64"],
    ["arm64", "linux/arm64"],
  ] as const)("builds for %s nodes as %s", (arch, platform) => {
    expect(dockerPlatform(arch)).toBe(platform);
  });
});

describe("buildTag", () => {
  const hash = "0123456789abcdef".repeat(4);

  it.each([
    ["linux/amd64", "src-0123456789abcdef0123456789abcdef-amd64"],
    ["linux/arm64", "src-0123456789abcdef0123456789abcdef-arm64"],
  ] as const)("tags a %s build of a context with its hash and platform", (platform, tag) => {
    expect(buildTag(hash, platform)).toBe(tag);
  });

  it("gives the same context a different tag per platform (tags are immutable in ECR)", () => {
    expect(buildTag(hash, "linux/amd64")).not.toBe(buildTag(hash, "linux/arm64"));
  });
});

describe("contextHash", () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "context-"));
    write(".dockerignore", "**\n!Dockerfile\n!package.json\n!src/**\n");
    write("Dockerfile", "FROM scratch\n");
    write("package.json", "{}\n");
    write("src/server.ts", "export {};\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is a stable sha256 of the context", () => {
    expect(contextHash(dir)).toMatch(/^[0-9a-f]{64}$/);
    expect(contextHash(dir)).toBe(contextHash(dir));
  });

  it("changes when a file the build sees is edited, added or renamed", () => {
    const before = contextHash(dir);
    write("src/server.ts", "export const x = 1;\n");
    const edited = contextHash(dir);
    expect(edited).not.toBe(before);
    write("src/extra.ts", "export {};\n");
    const added = contextHash(dir);
    expect(added).not.toBe(edited);
    fs.renameSync(path.join(dir, "src/extra.ts"), path.join(dir, "src/other.ts"));
    expect(contextHash(dir)).not.toBe(added);
  });

  it("ignores what .dockerignore keeps out of the build", () => {
    const before = contextHash(dir);
    write("README.md", "notes\n");
    write("node_modules/typescript/index.js", "module.exports = 1;\n");
    write("dist/server.js", "compiled\n");
    expect(contextHash(dir)).toBe(before);
  });

  it("hashes the real app/ context", () => {
    expect(contextHash(path.join(__dirname, "..", "..", "app"))).toMatch(/^[0-9a-f]{64}$/);
  });
});
