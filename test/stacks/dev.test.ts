import { runStack } from "../harness";
import type { StackRun } from "../../tools/runner";

let run: StackRun;
beforeAll(async () => {
  run = await runStack("dev");
});

describe("the dev stack", () => {
  it("registers resources under the mocks (the program ran after setMocks)", () => {
    expect(run.resources.length).toBeGreaterThan(1);
    expect(run.resources[0]?.type).toBe("pulumi:pulumi:Stack");
  });

  it("spans two availability zones", () => {
    expect(run.outputs.availabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
  });
});
