import type { StackRun } from "../../tools/runner";
import { runStack } from "../harness";

// The stack's `tags` config must reach every AWS resource that takes tags, on top of the
// platform's own: cost allocation and ownership reports read them.
const EXTRA = { team: "payments", "cost-center": "1234" };

let run: StackRun;
beforeAll(async () => {
  run = await runStack("dev", { tags: EXTRA });
});

const tagged = () =>
  run.resources.filter((r) => r.type.startsWith("aws:") && r.inputs.tags !== undefined);

describe("the dev stack with tags in its config", () => {
  it("tags many AWS resources (the program ran)", () => {
    expect(tagged().length).toBeGreaterThan(30);
  });

  it("puts the configured tags and the platform's tags on every AWS resource that takes tags", () => {
    const expected = {
      ...EXTRA,
      "pulumi:project": "platform",
      "pulumi:stack": "dev",
      "managed-by": "pulumi",
    };
    const missing = tagged()
      .filter((r) => {
        // Auto Scaling groups take a list of {key, value, propagateAtLaunch}.
        const raw = r.inputs.tags as Record<string, unknown> | { key: string; value: unknown }[];
        const tags = Array.isArray(raw)
          ? Object.fromEntries(raw.map((t) => [t.key, t.value]))
          : raw;
        return Object.entries(expected).some(([k, v]) => tags[k] !== v);
      })
      .map((r) => `${r.type} ${r.name}`);
    expect(missing).toEqual([]);
  });
});
