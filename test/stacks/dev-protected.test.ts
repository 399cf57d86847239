import type { StackRun } from "../../tools/runner";
import { runStack } from "../harness";
import { statefulResources } from "./expect";

let run: StackRun;
beforeAll(async () => {
  run = await runStack("dev", { protectResources: true });
});

describe("protection follows config, not the stack name", () => {
  it("protects every stateful resource of dev when its config sets protectResources", () => {
    const stateful = statefulResources(run);
    expect(stateful.length).toBeGreaterThan(8);
    expect(stateful.filter((r) => !r.options.protect).map((r) => r.urn)).toEqual([]);
  });

  it("protects nothing else: stateless resources stay replaceable", () => {
    const protectedTypes = new Set(
      run.resources.filter((r) => r.options.protect).map((r) => r.type),
    );
    expect([...protectedTypes].sort()).toEqual(
      [...new Set(statefulResources(run).map((r) => r.type))].sort(),
    );
  });
});
