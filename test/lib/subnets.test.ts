import fc from "fast-check";
import { contains, overlaps, parseCidr, Cidr } from "../../lib/cidr";
import {
  SubnetPlanArgs,
  SubnetTier,
  insideVpc,
  planSubnets,
  subnetPlanProblems,
} from "../../lib/subnets";

const cidrOf = (text: string) => parseCidr(text) as Cidr;

/** A VPC block (/16 to /24) anywhere in IPv4 space, an AZ count and two subnet sizes. */
const planArgs = fc
  .record({
    address: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    vpcPrefix: fc.integer({ min: 16, max: 24 }),
    azCount: fc.integer({ min: 1, max: 6 }),
    publicExtra: fc.integer({ min: 1, max: 12 }),
    privateExtra: fc.integer({ min: 1, max: 12 }),
  })
  .map(({ address, vpcPrefix, azCount, publicExtra, privateExtra }): SubnetPlanArgs => {
    const base = (address >>> (32 - vpcPrefix)) << (32 - vpcPrefix);
    const octets = [24, 16, 8, 0].map((shift) => (base >>> shift) & 255);
    return {
      vpcCidr: `${octets.join(".")}/${vpcPrefix}`,
      azCount,
      publicPrefix: Math.min(vpcPrefix + publicExtra, 28),
      privatePrefix: Math.min(vpcPrefix + privateExtra, 28),
    };
  });
const fits = (args: SubnetPlanArgs) => subnetPlanProblems(args).length === 0;
const fittingPlanArgs = planArgs.filter(fits);

describe("planSubnets", () => {
  it.each([
    {
      stack: "dev",
      args: { vpcCidr: "10.0.0.0/16", azCount: 2, publicPrefix: 24, privatePrefix: 19 },
      public: ["10.0.255.0/24", "10.0.254.0/24"],
      private: ["10.0.0.0/19", "10.0.32.0/19"],
    },
    {
      stack: "prod",
      args: { vpcCidr: "10.0.0.0/16", azCount: 3, publicPrefix: 24, privatePrefix: 19 },
      public: ["10.0.255.0/24", "10.0.254.0/24", "10.0.253.0/24"],
      private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
    },
    {
      stack: "a small /24 VPC",
      args: { vpcCidr: "192.168.10.0/24", azCount: 2, publicPrefix: 28, privatePrefix: 26 },
      public: ["192.168.10.240/28", "192.168.10.224/28"],
      private: ["192.168.10.0/26", "192.168.10.64/26"],
    },
  ])("plans the $stack layout: private from the start, public from the end", (row) => {
    const plan = planSubnets(row.args);
    expect(plan.filter((s) => s.tier === SubnetTier.Public).map((s) => s.cidr)).toEqual(row.public);
    expect(plan.filter((s) => s.tier === SubnetTier.Private).map((s) => s.cidr)).toEqual(
      row.private,
    );
    expect(plan.map((s) => s.name)).toEqual(
      row.public.flatMap((_, az) => [`public-${az}`, `private-${az}`]),
    );
  });

  it.each([
    {
      why: "a private subnet larger than the VPC",
      args: { vpcCidr: "10.0.0.0/20", azCount: 3, publicPrefix: 24, privatePrefix: 19 },
      message: "a private subnet prefix must be longer than the VPC's /20 and at most /28; got /19",
    },
    {
      why: "a public subnet smaller than AWS allows",
      args: { vpcCidr: "10.0.0.0/16", azCount: 2, publicPrefix: 29, privatePrefix: 19 },
      message: "a public subnet prefix must be longer than the VPC's /16 and at most /28; got /29",
    },
    {
      why: "more AZs than the block holds",
      args: { vpcCidr: "10.0.0.0/16", azCount: 8, publicPrefix: 24, privatePrefix: 19 },
      message:
        "8 AZs of one /24 public and one /19 private subnet need 67584 addresses but 10.0.0.0/16 has 65536; use a larger VPC or smaller subnets",
    },
    {
      why: "no AZ",
      args: { vpcCidr: "10.0.0.0/16", azCount: 0, publicPrefix: 24, privatePrefix: 19 },
      message: "the AZ count must be a whole number of at least 1; got 0",
    },
    {
      why: "a CIDR that is not one",
      args: { vpcCidr: "10.0.0/16", azCount: 2, publicPrefix: 24, privatePrefix: 19 },
      message: "the VPC CIDR must be an IPv4 CIDR block such as 10.0.0.0/16",
    },
    {
      why: "host bits set",
      args: { vpcCidr: "10.0.0.1/16", azCount: 2, publicPrefix: 24, privatePrefix: 19 },
      message: "the VPC CIDR has host bits set; the network address is 10.0.0.0/16",
    },
  ])("refuses $why with an exact message", ({ args, message }) => {
    expect(subnetPlanProblems(args)).toEqual([message]);
    expect(() => planSubnets(args)).toThrow(message);
  });

  it("reports every problem at once", () => {
    const args = { vpcCidr: "10.0.0.0/24", azCount: 2, publicPrefix: 20, privatePrefix: 30 };
    expect(() => planSubnets(args)).toThrow(
      "a public subnet prefix must be longer than the VPC's /24 and at most /28; got /20; a private subnet prefix must be longer than the VPC's /24 and at most /28; got /30",
    );
  });

  it("puts every subnet inside the VPC, at a network address of its own prefix", () => {
    fc.assert(
      fc.property(fittingPlanArgs, (args) => {
        for (const spec of planSubnets(args)) {
          expect(insideVpc(args.vpcCidr, spec)).toBe(true);
          const cidr = parseCidr(spec.cidr);
          expect(typeof cidr).not.toBe("string");
          const prefix = spec.tier === SubnetTier.Public ? args.publicPrefix : args.privatePrefix;
          expect((cidr as Cidr).prefix).toBe(prefix);
        }
      }),
    );
  });

  it("never overlaps two subnets", () => {
    fc.assert(
      fc.property(fittingPlanArgs, (args) => {
        const blocks = planSubnets(args).map((s) => cidrOf(s.cidr));
        blocks.forEach((a, i) =>
          blocks.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)),
        );
      }),
    );
  });

  it("gives every AZ exactly one subnet per tier", () => {
    fc.assert(
      fc.property(fittingPlanArgs, (args) => {
        const plan = planSubnets(args);
        expect(plan).toHaveLength(2 * args.azCount);
        for (let az = 0; az < args.azCount; az++) {
          for (const tier of Object.values(SubnetTier)) {
            expect(plan.filter((s) => s.azIndex === az && s.tier === tier)).toHaveLength(1);
          }
        }
      }),
    );
  });

  it("keeps every existing subnet's CIDR when an AZ is added", () => {
    const growable = fittingPlanArgs.filter((a) => fits({ ...a, azCount: a.azCount + 1 }));
    fc.assert(
      fc.property(growable, (args) => {
        const before = planSubnets(args);
        const after = planSubnets({ ...args, azCount: args.azCount + 1 });
        expect(after.slice(0, before.length)).toEqual(before);
        expect(after).toHaveLength(before.length + 2);
      }),
    );
  });

  it("fits exactly when the subnets' addresses fit in the VPC, and otherwise throws why", () => {
    fc.assert(
      fc.property(planArgs, (args) => {
        const vpc = cidrOf(args.vpcCidr);
        const needed =
          args.azCount * (2 ** (32 - args.publicPrefix) + 2 ** (32 - args.privatePrefix));
        expect(fits(args)).toBe(needed <= 2 ** (32 - vpc.prefix));
        if (!fits(args)) expect(() => planSubnets(args)).toThrow(subnetPlanProblems(args)[0]);
      }),
    );
  });

  it("agrees with the CIDR helpers on what lies inside a block", () => {
    expect(contains(cidrOf("10.0.0.0/16"), cidrOf("10.0.255.0/24"))).toBe(true);
    expect(contains(cidrOf("10.0.0.0/16"), cidrOf("10.1.0.0/24"))).toBe(false);
  });
});
