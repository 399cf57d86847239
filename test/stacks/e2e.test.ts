import { spawnSync } from "child_process";
import * as path from "path";
import type { StackRun } from "../../tools/runner";
import { ofType, runStack } from "../harness";

let run: StackRun;
beforeAll(async () => {
  run = await runStack("e2e");
});

describe("the e2e stack (Pulumi.e2e.yaml), for the real engine against a local AWS emulator", () => {
  it("builds the network and the registry, nothing the emulator cannot serve", () => {
    expect(ofType(run.resources, "aws:ec2/subnet:Subnet")).toHaveLength(4);
    expect(ofType(run.resources, "aws:ecr/repository:Repository")).toHaveLength(1);
    expect(ofType(run.resources, "platform:eks:Cluster")).toEqual([]);
    expect(run.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
  });

  it("deploys the configured image instead of building one (no Docker)", () => {
    expect(ofType(run.resources, "awsx:ecr:Image")).toEqual([]);
    expect(run.outputs.appImage).toMatch(/@sha256:0{64}$/);
    expect(run.outputs.clusterName).toBeUndefined();
  });

  it("passes the e2e script's guard: every AWS endpoint on loopback, fake credentials", () => {
    const root = path.resolve(__dirname, "../..");
    const check = spawnSync("bash", [path.join(root, "scripts/engine/e2e.sh"), "--check-config"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});
