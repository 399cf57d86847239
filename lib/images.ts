import ignore from "@balena/dockerignore";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { shown } from "./args";
import { Architecture } from "./instance-types";

/**
 * An image reference pinned by digest: `<registry>/<repository>@sha256:<64 hex>`. A tag can be
 * moved to other content; a digest cannot, so what was reviewed is what runs.
 */
export const IMAGE_BY_DIGEST =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+@sha256:[a-f0-9]{64}$/;

/** Why `ref` is not an image reference by digest, or undefined when it is one. */
export function imageRefProblem(field: string, ref: string): string | undefined {
  return IMAGE_BY_DIGEST.test(ref)
    ? undefined
    : `${field} must be an image reference by digest: <registry>/<repository>@sha256:<64 hex>; got ${shown(ref)}`;
}

/** The Docker platform that runs on nodes of an architecture. */
export function dockerPlatform(architecture: Architecture): "linux/amd64" | "linux/arm64" {
  return architecture === Architecture.Arm64 ? "linux/arm64" : "linux/amd64";
}

/**
 * The tag of a build: the context's hash and the platform. The repository's tags are immutable,
 * so an image for another platform (the nodes moved to Graviton) needs a tag of its own: pushing
 * it under the old tag would fail with ImageTagAlreadyExistsException.
 */
export function buildTag(hash: string, platform: ReturnType<typeof dockerPlatform>): string {
  return `src-${hash.slice(0, 32)}-${platform.slice("linux/".length)}`;
}

/**
 * A hash of the files a Docker build of `dir` sends as its context (its `.dockerignore`
 * applied), as hex. Paths and contents both count, so a rename or an edit changes it and
 * nothing else does: used as the image tag, unchanged code means no new image.
 */
export function contextHash(dir: string): string {
  const ignoreFile = path.join(dir, ".dockerignore");
  const lines = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/) : [];
  const rules = ignore().add(lines);
  // As Docker does: an excluded directory is only entered when an exception may re-include
  // something under it (`**` then `!src/**`).
  const hasExceptions = lines.some((line) => line.trim().startsWith("!"));
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!rules.ignores(child) || hasExceptions) walk(child);
      } else if (entry.isFile() && !rules.ignores(child)) {
        files.push(child);
      }
    }
  };
  walk("");
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(dir, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}
