import * as fs from "fs";
import * as path from "path";
import { DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_SHUTDOWN_DELAY_MS } from "../../app/src/server";
import { APP_DRAIN_SECONDS, WORKLOAD_UID } from "../../lib/workload";

const APP = path.join(__dirname, "..", "..", "app");

/** The Dockerfile's instructions (continuations joined, comments dropped), grouped by stage. */
function stages(): { from: string; instructions: [string, string][] }[] {
  const text = fs.readFileSync(path.join(APP, "Dockerfile"), "utf8").replace(/\\\r?\n/g, " ");
  const result: { from: string; instructions: [string, string][] }[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (line === "" || line.startsWith("#")) continue;
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") result.push({ from: args, instructions: [] });
    else result.at(-1)?.instructions.push([keyword.toUpperCase(), args]);
  }
  return result;
}

describe("the app's Dockerfile", () => {
  const [build, runtime] = stages();

  it("compiles in a build stage and runs from a distroless Node.js image", () => {
    expect(stages()).toHaveLength(2);
    expect(build?.from).toMatch(/\bnode:\d+-alpine AS build$/);
    expect(runtime?.from).toMatch(/^gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot$/);
  });

  it("builds on the builder's own platform and runs nothing in the target one, so cross-platform builds need no emulation", () => {
    expect(build?.from.startsWith("--platform=$BUILDPLATFORM ")).toBe(true);
    expect(runtime?.instructions.filter(([k]) => k === "RUN")).toEqual([]);
  });

  it("runs as the numeric non-root user the pod spec asks for", () => {
    const user = runtime?.instructions.filter(([k]) => k === "USER").map(([, v]) => v);
    expect(user).toEqual([`${WORKLOAD_UID}:${WORKLOAD_UID}`]);
  });

  it("drains within the time the pod spec gives it after SIGTERM", () => {
    expect(DEFAULT_SHUTDOWN_DELAY_MS + DEFAULT_DRAIN_TIMEOUT_MS).toBeLessThanOrEqual(
      APP_DRAIN_SECONDS * 1000,
    );
  });

  it("gives node (the distroless entrypoint) the compiled server's path, which the build writes", () => {
    expect(runtime?.instructions.filter(([k]) => k === "ENTRYPOINT")).toEqual([]);
    const cmd = runtime?.instructions.find(([k]) => k === "CMD")?.[1];
    expect(JSON.parse(cmd ?? "null")).toEqual(["dist/server.js"]);
    const pkg = JSON.parse(fs.readFileSync(path.join(APP, "package.json"), "utf8")) as {
      main: string;
    };
    expect(pkg.main).toBe("dist/server.js");
    expect(runtime?.instructions).toContainEqual(["WORKDIR", "/app"]);
    expect(runtime?.instructions).toContainEqual(["COPY", "--from=build /src/dist ./dist"]);
  });
});
