import { VpcArgs, validateVpcArgs } from "../../components/vpc";
import { parseConfig } from "../../config/load";
import { selectZones } from "../../config/zones";
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
      'natStrategy must be one of single, perAz; got "none"',
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
        "platform:publicAccessCidrs": '["203.0.113.0/24"]',
      },
      { project: "platform", stack: "dev" },
    );
  const US_EAST_2 = ["us-east-2a", "us-east-2b", "us-east-2c"];

  it("takes the first azCount AZs the region lists, in order", () => {
    expect(selectZones(config("us-east-2", 2), US_EAST_2)).toEqual(["us-east-2a", "us-east-2b"]);
    expect(selectZones(config("us-east-2", 3), US_EAST_2)).toEqual(US_EAST_2);
  });

  it("refuses more AZs than the region has, naming the key and the AZs on offer", () => {
    expect(() => selectZones(config("us-east-2", 4), US_EAST_2)).toThrow(
      'Invalid config for stack "dev" (1 problem):\n' +
        "  - platform:azCount: must be at most the 3 AZs us-east-2 offers (us-east-2a, us-east-2b, us-east-2c); got 4",
    );
  });
});
