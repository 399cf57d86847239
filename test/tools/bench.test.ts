import { SCENARIOS, summarise } from "../../tools/bench";

describe("the benchmark summary", () => {
  it("reports medians, ratios to the floor and the cost per added service", () => {
    const sample = (wallMs: number, cpuMs: number, maxRssKb: number, resources: number) => ({
      wallMs,
      cpuMs,
      maxRssKb,
      resources,
    });
    const byName = (name: string) => SCENARIOS.find((s) => s.name === name)!;
    const results = new Map([
      [byName("floor"), [sample(1000, 900, 100 * 1024, 1), sample(3000, 1100, 100 * 1024, 1)]],
      [byName("prod, 1 service"), [sample(4000, 2000, 200 * 1024, 100)]],
      [byName("prod, 10 services"), [sample(4900, 2900, 209 * 1024, 190)]],
    ]);
    const text = summarise(results);
    // floor medians: 2000 ms wall, 1000 ms CPU, 100 MB; "prod, 1 service" is twice each.
    expect(text).toMatch(
      /prod, 1 service\s+100\s+4000\s+4000-4000\s+2000\s+200\.0\s+2\.00\s+2\.00\s+2\.00/,
    );
    expect(text).toContain(
      "per service, 1 -> 10: 100.0 ms wall, 100.0 ms CPU, 1.00 MB, 10.0 resources",
    );
  });
});
