import { VpcArgs, validateVpcArgs } from "../../components/vpc";
import { parseConfig } from "../../config/load";
import { EKS_UNSUPPORTED_ZONE_IDS, eligibleZones, selectZones } from "../../config/zones";
import { RecordedResource, useMocks } from "../harness";

const VALID: VpcArgs = {
  cidrBlock: "10.0.0.0/16",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  publicSubnetPrefix: 24,
  privateSubnetPrefix: 19,
  natStrategy: "single",
  flowLogRetentionDays: 30,
  clusterName: "platform-dev",
  protection: { protect: false },
};

describe("validateVpcArgs", () => {
  it("accepts both stacks' settings", () => {
    expect(validateVpcArgs(VALID)).toEqual([]);
    expect(
      validateVpcArgs({
        ...VALID,
        availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        natStrategy: "perAz",
      }),
    ).toEqual([]);
  });

  it.each<[string, Partial<VpcArgs>, string]>([
    [
      "a private subnet size that does not fit the VPC",
      { cidrBlock: "10.0.0.0/20" },
      "the subnet plan does not fit: a private subnet prefix must be longer than the VPC's /20 and at most /28; got /19",
    ],
    [
      "a public subnet smaller than AWS allows",
      { publicSubnetPrefix: 29 },
      "the subnet plan does not fit: a public subnet prefix must be longer than the VPC's /16 and at most /28; got /29",
    ],
    [
      "too many AZs for the subnet sizes",
      {
        cidrBlock: "10.0.0.0/17",
        availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"],
      },
      "the subnet plan does not fit: 4 AZs of one /24 public and one /19 private subnet need 33792 addresses but 10.0.0.0/17 has 32768; use a larger VPC or smaller subnets",
    ],
    [
      "a malformed CIDR",
      { cidrBlock: "10.0.0.0" },
      'cidrBlock must be an IPv4 CIDR block such as 10.0.0.0/16; got "10.0.0.0"',
    ],
    [
      "a block larger than AWS allows",
      { cidrBlock: "10.0.0.0/8" },
      'cidrBlock must be a /16 to /28 block, the sizes AWS allows for a VPC; got "10.0.0.0/8"',
    ],
    ["no AZ", { availabilityZones: [] }, "availabilityZones must list at least one AZ; got []"],
    [
      "a repeated AZ",
      { availabilityZones: ["us-east-1a", "us-east-1a"] },
      'availabilityZones must not repeat an AZ; got ["us-east-1a","us-east-1a"]',
    ],
    [
      "an unknown NAT strategy",
      { natStrategy: "none" as VpcArgs["natStrategy"] },
      'natStrategy must be one of single, perAz, instance; got "none"',
    ],
    [
      "a retention CloudWatch Logs does not offer",
      { flowLogRetentionDays: 10 },
      "flowLogRetentionDays must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 10",
    ],
    [
      "an impossible cluster name",
      { clusterName: "-bad name" },
      "clusterName must be an EKS cluster name (1-100 letters, digits, '-' or '_', starting with a letter or digit); got \"-bad name\"",
    ],
  ])("rejects %s with an exact message", (_, change, message) => {
    expect(validateVpcArgs({ ...VALID, ...change })).toEqual([message]);
  });
});

describe("the Vpc constructor", () => {
  let resources: RecordedResource[];
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ resources, done } = await useMocks());
  });
  afterAll(() => done());

  it("throws every problem at once, before registering anything", async () => {
    const { Vpc } = await import("../../components/vpc");
    expect(
      () =>
        new Vpc("bad", {
          ...VALID,
          cidrBlock: "10.0.0.0/20",
          flowLogRetentionDays: 10,
        }),
    ).toThrow(
      "invalid Vpc arguments:\n" +
        "  - the subnet plan does not fit: a private subnet prefix must be longer than the VPC's /20 and at most /28; got /19\n" +
        "  - flowLogRetentionDays must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 10",
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resources).toEqual([]);
  });
});

describe("selectZones", () => {
  const config = (region: string, azCount: number) =>
    parseConfig(
      {
        "aws:region": region,
        "platform:azCount": String(azCount),
        "platform:publicAccessCidrs": '["52.94.0.0/24"]',
      },
      { project: "platform", stack: "dev" },
    );
  const US_EAST_2 = {
    names: ["us-east-2a", "us-east-2b", "us-east-2c"],
    zoneIds: ["use2-az1", "use2-az2", "use2-az3"],
  };
  // An account whose first zone name maps to use1-az3, with an opted-in Local Zone.
  const US_EAST_1 = {
    names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1-bos-1a"],
    zoneIds: ["use1-az3", "use1-az1", "use1-az2", "use1-bos1-az1"],
  };
  const STANDARD_US_EAST_1 = ["us-east-1a", "us-east-1b", "us-east-1c"];

  it("takes the first azCount AZs the region lists, in order", () => {
    expect(selectZones(config("us-east-2", 2), US_EAST_2, US_EAST_2.names)).toEqual([
      "us-east-2a",
      "us-east-2b",
    ]);
    expect(selectZones(config("us-east-2", 3), US_EAST_2, US_EAST_2.names)).toEqual(
      US_EAST_2.names,
    );
  });

  it("never places a subnet in a zone EKS refuses, even when it is the first name", () => {
    const zones = selectZones(config("us-east-1", 2), US_EAST_1, STANDARD_US_EAST_1);
    expect(zones).toEqual(["us-east-1b", "us-east-1c"]);
    expect(EKS_UNSUPPORTED_ZONE_IDS).toEqual(["use1-az3", "usw1-az2", "cac1-az3"]);
  });

  it("leaves out Local and Wavelength Zones, which the standard-zone answer does not list", () => {
    expect(eligibleZones(US_EAST_1, STANDARD_US_EAST_1).leftOut).toEqual([
      { name: "us-east-1a", zoneId: "use1-az3", reason: "EKS refuses control-plane subnets there" },
      {
        name: "us-east-1-bos-1a",
        zoneId: "use1-bos1-az1",
        reason: "not a standard availability zone (Local or Wavelength Zone)",
      },
    ]);
  });

  it("keeps existing subnets in place when an AZ is added (selection is a prefix)", () => {
    const two = selectZones(config("us-east-2", 2), US_EAST_2, US_EAST_2.names);
    const three = selectZones(config("us-east-2", 3), US_EAST_2, US_EAST_2.names);
    expect(three.slice(0, 2)).toEqual(two);
  });

  it("refuses more AZs than the region has, naming the key and the AZs on offer", () => {
    expect(() => selectZones(config("us-east-2", 4), US_EAST_2, US_EAST_2.names)).toThrow(
      'Invalid config for stack "dev" (1 problem):\n' +
        "  - platform:azCount: must be at most the 3 AZs us-east-2 offers an EKS cluster (us-east-2a, us-east-2b, us-east-2c); got 4",
    );
  });

  it("names the zones it left out, and why, when too few remain", () => {
    expect(() => selectZones(config("us-east-1", 3), US_EAST_1, STANDARD_US_EAST_1)).toThrow(
      "  - platform:azCount: must be at most the 2 AZs us-east-1 offers an EKS cluster (us-east-1b, us-east-1c); left out: us-east-1a (use1-az3): EKS refuses control-plane subnets there; us-east-1-bos-1a (use1-bos1-az1): not a standard availability zone (Local or Wavelength Zone); got 3",
    );
  });
});
