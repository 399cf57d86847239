import { planNat } from "../../lib/nat";

describe("planNat", () => {
  it("single: one NAT gateway in the first AZ behind one shared private route table", () => {
    expect(planNat("single", 3)).toEqual({
      natAzIndexes: [0],
      privateRouteTables: [{ name: "private", natAzIndex: 0, subnetAzIndexes: [0, 1, 2] }],
    });
  });

  it("perAz: a NAT gateway and a private route table per AZ, each routing to its own AZ", () => {
    expect(planNat("perAz", 3)).toEqual({
      natAzIndexes: [0, 1, 2],
      privateRouteTables: [
        { name: "private-0", natAzIndex: 0, subnetAzIndexes: [0] },
        { name: "private-1", natAzIndex: 1, subnetAzIndexes: [1] },
        { name: "private-2", natAzIndex: 2, subnetAzIndexes: [2] },
      ],
    });
  });

  it.each([
    ["single", 1, 1, 1],
    ["single", 6, 1, 1],
    ["perAz", 1, 1, 1],
    ["perAz", 6, 6, 6],
  ] as const)("%s over %i AZs: %i gateways, %i private route tables", (s, azs, gws, tables) => {
    const plan = planNat(s, azs);
    expect(plan.natAzIndexes).toHaveLength(gws);
    expect(plan.privateRouteTables).toHaveLength(tables);
    // Every private subnet is routed exactly once.
    expect(plan.privateRouteTables.flatMap((t) => t.subnetAzIndexes).sort()).toEqual(
      Array.from({ length: azs }, (_, i) => i),
    );
  });
});
