import { parseConfig } from "../../config/load";
import { readStackConfig } from "../../tools/runner";
import { Case, devGroup, devService, expectRejected, problemsOf } from "./support";

// Issue 3: each case starts from a real stack file (merged with Pulumi.yaml defaults) and
// changes one thing; the config module must reject it with a line naming the key.

const wrongTypes: Case[] = [
  {
    name: "azCount as a word",
    base: "dev",
    change: { azCount: "three" },
    expect: 'platform:azCount: must be an integer from 2 to 6; got "three"',
  },
  {
    name: "azCount as a fraction",
    base: "dev",
    change: { azCount: 2.5 },
    expect: "platform:azCount: must be an integer from 2 to 6; got 2.5",
  },
  {
    name: "production as yes",
    base: "prod",
    change: { production: "yes" },
    expect: 'platform:production: must be true or false; got "yes"',
  },
  {
    name: "interfaceEndpoints as 1",
    base: "dev",
    change: { interfaceEndpoints: 1 },
    expect: "platform:interfaceEndpoints: must be true or false; got 1",
  },
  {
    name: "natStrategy misspelt",
    base: "dev",
    change: { natStrategy: "per-az" },
    expect: 'platform:natStrategy: must be one of single, perAz, instance; got "per-az"',
  },
  {
    name: "nodeGroups as a string",
    base: "dev",
    change: { nodeGroups: "general" },
    expect: 'platform:nodeGroups: must be a map of node group name to settings; got "general"',
  },
  {
    name: "services as a list",
    base: "dev",
    change: { services: [] },
    expect: "platform:services: must be a map of service name to settings; got []",
  },
  {
    name: "clusterLogTypes as one string",
    base: "dev",
    change: { clusterLogTypes: "api" },
    expect: 'platform:clusterLogTypes: must be a list of log types; got "api"',
  },
  {
    name: "publicAccessCidrs as one string",
    base: "prod",
    change: { publicAccessCidrs: "203.0.113.0/24" },
    expect: 'platform:publicAccessCidrs: must be a list of CIDR blocks; got "203.0.113.0/24"',
  },
  {
    name: "a node group's instanceTypes as one string",
    base: "dev",
    change: devGroup({ instanceTypes: "t3.medium" }),
    expect:
      'platform:nodeGroups.general.instanceTypes: must be a list of instance types; got "t3.medium"',
  },
  {
    name: "a node group's minSize as a quoted number",
    base: "dev",
    change: devGroup({ minSize: "1" }),
    expect: 'platform:nodeGroups.general.minSize: must be an integer from 0 to 450; got "1"',
  },
  {
    name: "a service's expose as a boolean",
    base: "dev",
    change: devService({ expose: true }),
    expect: "platform:services.app.expose: must be one of none, internal, internet; got true",
  },
  {
    name: "access as a string",
    base: "dev",
    change: { access: "admin" },
    expect:
      'platform:access: must be an object with admins and viewers lists and the ciDeployRole and ciPreviewRole ARNs; got "admin"',
  },
  {
    name: "a tag value as a number",
    base: "dev",
    change: { tags: { team: 5 } },
    expect:
      "platform:tags.team: must be an AWS tag value (at most 256 letters, digits, spaces and _.:/=+-@); got 5",
  },
];

const outOfRange: Case[] = [
  {
    name: "azCount 0",
    base: "dev",
    change: { azCount: 0 },
    expect: "platform:azCount: must be an integer from 2 to 6; got 0",
  },
  {
    name: "azCount 7",
    base: "prod",
    change: { azCount: 7 },
    expect: "platform:azCount: must be an integer from 2 to 6; got 7",
  },
  {
    name: "publicSubnetPrefix 16",
    base: "dev",
    change: { publicSubnetPrefix: 16 },
    expect: "platform:publicSubnetPrefix: must be an integer from 17 to 28; got 16",
  },
  {
    name: "privateSubnetPrefix 29",
    base: "dev",
    change: { privateSubnetPrefix: 29 },
    expect: "platform:privateSubnetPrefix: must be an integer from 17 to 28; got 29",
  },
  {
    name: "kmsDeletionWindowDays 6",
    base: "dev",
    change: { kmsDeletionWindowDays: 6 },
    expect: "platform:kmsDeletionWindowDays: must be an integer from 7 to 30; got 6",
  },
  {
    name: "kmsDeletionWindowDays 31",
    base: "prod",
    change: { kmsDeletionWindowDays: 31 },
    expect: "platform:kmsDeletionWindowDays: must be an integer from 7 to 30; got 31",
  },
  {
    name: "a flow log retention CloudWatch does not offer",
    base: "dev",
    change: { flowLogRetentionDays: 10 },
    expect: {
      key: "platform:flowLogRetentionDays",
      rule: "must be one of the CloudWatch Logs retention periods (1, 3, 5, 7, 14, 30,",
    },
  },
  {
    name: "ecrKeepTaggedImages 0",
    base: "dev",
    change: { ecrKeepTaggedImages: 0 },
    expect: "platform:ecrKeepTaggedImages: must be an integer from 1 to 1000; got 0",
  },
  {
    name: "a privileged service port",
    base: "dev",
    change: devService({ port: 80 }),
    expect: "platform:services.app.port: must be an integer from 1024 to 65535; got 80",
  },
  {
    name: "maxReplicas 101",
    base: "dev",
    change: devService({ maxReplicas: 101 }),
    expect: "platform:services.app.maxReplicas: must be an integer from 1 to 100; got 101",
  },
  {
    name: "a 10 GiB node disk",
    base: "dev",
    change: devGroup({ diskSizeGiB: 10 }),
    expect: "platform:nodeGroups.general.diskSizeGiB: must be an integer from 20 to 16384; got 10",
  },
  {
    name: "maxUnavailablePercent 0",
    base: "dev",
    change: devGroup({ maxUnavailablePercent: 0 }),
    expect:
      "platform:nodeGroups.general.maxUnavailablePercent: must be an integer from 1 to 100; got 0",
  },
];

const badCidrs: Case[] = [
  {
    name: "a VPC CIDR without a prefix",
    base: "dev",
    change: { vpcCidr: "10.0.0.0" },
    expect: 'platform:vpcCidr: must be an IPv4 CIDR block such as 10.0.0.0/16; got "10.0.0.0"',
  },
  {
    name: "a VPC CIDR with host bits set",
    base: "dev",
    change: { vpcCidr: "10.0.0.1/16" },
    expect:
      'platform:vpcCidr: has host bits set; the network address is 10.0.0.0/16; got "10.0.0.1/16"',
  },
  {
    name: "a VPC CIDR with an octet over 255",
    base: "dev",
    change: { vpcCidr: "300.0.0.0/16" },
    expect: 'platform:vpcCidr: must be an IPv4 CIDR block such as 10.0.0.0/16; got "300.0.0.0/16"',
  },
  {
    name: "a VPC larger than AWS allows",
    base: "dev",
    change: { vpcCidr: "10.0.0.0/8" },
    expect: 'platform:vpcCidr: must be a /16 to /24 block; got "10.0.0.0/8"',
  },
  {
    name: "a VPC in public address space",
    base: "dev",
    change: { vpcCidr: "8.8.0.0/16" },
    expect:
      'platform:vpcCidr: must lie in private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10); got "8.8.0.0/16"',
  },
  {
    name: "a VPC too small for its subnets",
    base: "dev",
    change: { vpcCidr: "10.0.0.0/24" },
    expect: {
      key: "platform:vpcCidr",
      rule: "must hold the subnet plan: a public subnet prefix must be longer than the VPC's /24",
    },
  },
  {
    name: "three AZs of subnets that do not fit the VPC",
    base: "prod",
    change: { vpcCidr: "10.0.0.0/18" },
    expect:
      'platform:vpcCidr: must hold the subnet plan: 3 AZs of one /24 public and one /19 private subnet need 25344 addresses but 10.0.0.0/18 has 16384; use a larger VPC or smaller subnets; got "10.0.0.0/18"',
  },
  {
    name: "overlapping public access CIDRs",
    base: "prod",
    change: { publicAccessCidrs: ["203.0.113.0/24", "203.0.113.128/25"] },
    expect:
      'platform:publicAccessCidrs[1]: must not overlap publicAccessCidrs[0] (203.0.113.0/24); got "203.0.113.128/25"',
  },
  {
    name: "a private block for the public endpoint",
    base: "prod",
    change: { publicAccessCidrs: ["10.0.0.0/16"] },
    expect: {
      key: "platform:publicAccessCidrs[0]",
      rule: "must be a block of internet addresses, outside 10.0.0.0/8",
    },
  },
  {
    name: "a /33 prefix",
    base: "prod",
    change: { publicAccessCidrs: ["203.0.113.0/33"] },
    expect:
      'platform:publicAccessCidrs[0]: must be an IPv4 CIDR block such as 10.0.0.0/16; got "203.0.113.0/33"',
  },
];

const unknownKeys: Case[] = [
  {
    name: "nodeGroup for nodeGroups",
    base: "dev",
    change: { nodeGroup: "{}" },
    expect: 'platform:nodeGroup: is not a known key; did you mean "nodeGroups"?; got "{}"',
  },
  {
    name: "minsize for minSize inside a node group",
    base: "dev",
    change: devGroup({ minSize: undefined, minsize: 1 }),
    expect:
      'platform:nodeGroups.general.minsize: is not a known key; did you mean "minSize"?; got 1',
  },
  {
    name: "kubernetesversion in the wrong case",
    base: "dev",
    change: { kubernetesversion: "1.35" },
    expect:
      'platform:kubernetesversion: is not a known key; did you mean "kubernetesVersion"?; got "1.35"',
  },
  {
    name: "exposed for expose inside a service",
    base: "dev",
    change: devService({ exposed: "none" }),
    expect: 'platform:services.app.exposed: is not a known key; did you mean "expose"?; got "none"',
  },
  {
    name: "vpc_cni for vpc-cni in addonVersions",
    base: "dev",
    change: { addonVersions: { vpc_cni: "v1.21.1-eksbuild.1" } },
    expect:
      'platform:addonVersions.vpc_cni: is not a known key; did you mean "vpc-cni"?; got "v1.21.1-eksbuild.1"',
  },
  {
    name: "admin for admins in access",
    base: "dev",
    change: { access: { admin: [] } },
    expect: 'platform:access.admin: is not a known key; did you mean "admins"?; got []',
  },
  {
    name: "a key far from every known one",
    base: "dev",
    change: { banana: "1" },
    expect: {
      key: "platform:banana",
      rule: "is not a known key; known keys: production, eksCluster, kubernetesWorkloads, vpcCidr",
    },
  },
];

const missing: Case[] = [
  {
    name: "no aws:region",
    base: "dev",
    change: { "aws:region": undefined },
    expect: "aws:region: is required: set it with `pulumi config set aws:region us-east-1`",
  },
  {
    name: "a region that is not one",
    base: "prod",
    change: { "aws:region": "useast1" },
    expect: 'aws:region: must be an AWS region name such as us-east-1; got "useast1"',
  },
  {
    name: "a node group without instanceTypes",
    base: "dev",
    change: devGroup({ instanceTypes: undefined }),
    expect:
      "platform:nodeGroups.general.instanceTypes: is required and must be a list of instance types",
  },
  {
    name: "a node group without minSize",
    base: "dev",
    change: devGroup({ minSize: undefined }),
    expect: "platform:nodeGroups.general.minSize: is required and must be an integer from 0 to 450",
  },
  {
    name: "a node group without maxSize",
    base: "prod",
    change: {
      nodeGroups: { general: { instanceTypes: ["m6i.large"], minSize: 3, desiredSize: 3 } },
    },
    expect: "platform:nodeGroups.general.maxSize: is required and must be an integer from 1 to 450",
  },
  {
    name: "no node group at all",
    base: "dev",
    change: { nodeGroups: {} },
    expect: "platform:nodeGroups: must define at least one node group; got {}",
  },
];

const minAboveMax: Case[] = [
  {
    name: "minSize above desiredSize",
    base: "dev",
    change: devGroup({ minSize: 3, desiredSize: 2, maxSize: 4 }),
    expect:
      'platform:nodeGroups.general: must have minSize <= desiredSize <= maxSize; got {"minSize":3,"desiredSize":2,"maxSize":4}',
  },
  {
    name: "desiredSize above maxSize",
    base: "prod",
    change: {
      nodeGroups: {
        general: { instanceTypes: ["m6i.large"], minSize: 3, desiredSize: 10, maxSize: 9 },
      },
    },
    expect:
      'platform:nodeGroups.general: must have minSize <= desiredSize <= maxSize; got {"minSize":3,"desiredSize":10,"maxSize":9}',
  },
  {
    name: "minReplicas above maxReplicas",
    base: "dev",
    change: devService({ minReplicas: 3, maxReplicas: 2 }),
    expect:
      'platform:services.app: must have minReplicas <= maxReplicas; got {"minReplicas":3,"maxReplicas":2}',
  },
];

const versions: Case[] = [
  {
    name: "1.30 unquoted in YAML, read as 1.3",
    base: "dev",
    change: { kubernetesVersion: 1.3 },
    expect:
      'platform:kubernetesVersion: must be a supported Kubernetes version (1.34, 1.35); quote it in YAML so 1.30 is not read as 1.3; got "1.3"',
  },
  {
    name: "a version out of support",
    base: "prod",
    change: { kubernetesVersion: "1.29" },
    expect: { key: "platform:kubernetesVersion", rule: "must be a supported Kubernetes version" },
  },
  {
    name: "a version EKS does not offer yet",
    base: "dev",
    change: { kubernetesVersion: "1.36" },
    expect: { key: "platform:kubernetesVersion", rule: "must be a supported Kubernetes version" },
  },
  {
    name: "the upgrade policy in lower case",
    base: "dev",
    change: { upgradePolicy: "extended" },
    expect: 'platform:upgradePolicy: must be one of STANDARD, EXTENDED; got "extended"',
  },
  {
    name: "an addon version without its eksbuild suffix",
    base: "dev",
    change: { addonVersions: { coredns: "v1.13.1" } },
    expect:
      'platform:addonVersions.coredns: must be an EKS addon version such as v1.19.0-eksbuild.1; got "v1.13.1"',
  },
];

describe("a malformed stack config (one change to a real stack file)", () => {
  it.each(wrongTypes)("rejects a wrong type: $name", expectRejected);
  it.each(outOfRange)("rejects an out-of-range number: $name", expectRejected);
  it.each(badCidrs)("rejects a bad or overlapping CIDR: $name", expectRejected);
  it.each(unknownKeys)("rejects an unknown key and suggests the nearest: $name", expectRejected);
  it.each(missing)("rejects a missing required key: $name", expectRejected);
  it.each(minAboveMax)("rejects a minimum above its maximum: $name", expectRejected);
  it.each(versions)("rejects an unsupported version: $name", expectRejected);

  it("has at least 40 cases", () => {
    const all = [
      ...wrongTypes,
      ...outOfRange,
      ...badCidrs,
      ...unknownKeys,
      ...missing,
      ...minAboveMax,
      ...versions,
    ];
    expect(all.length).toBeGreaterThanOrEqual(40);
  });
});

describe("the config error", () => {
  it("reports every problem of a config in one run, cross-field rules included", () => {
    const problems = problemsOf("dev", {
      azCount: "three",
      ...devGroup({ minSize: 3, desiredSize: 1, diskSizeGiB: "big" }),
    });
    expect(problems.map((p) => p.key)).toEqual([
      "platform:azCount",
      "platform:nodeGroups.general",
      "platform:nodeGroups.general.diskSizeGiB",
    ]);
  });

  it("lists problems sorted by key, whatever order the keys arrive in", () => {
    const { project, config } = readStackConfig("dev", { natStrategy: "x", azCount: 0 });
    const reversed = Object.fromEntries(Object.entries(config).reverse());
    const message = (raw: Record<string, string>) => {
      try {
        parseConfig(raw, { project, stack: "dev" });
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(message(reversed)).toBe(message(config));
    expect(message(config)).toBe(
      'Invalid config for stack "dev" (2 problems):\n' +
        "  - platform:azCount: must be an integer from 2 to 6; got 0\n" +
        '  - platform:natStrategy: must be one of single, perAz, instance; got "x"',
    );
  });

  it("says a huge number once, not once per bound it breaks", () => {
    expect(problemsOf("dev", { azCount: 1e308 })).toEqual([
      { key: "platform:azCount", rule: "must be an integer from 2 to 6", value: "1e+308" },
    ]);
  });

  it("is a ConfigError with the stack name and no other kind of error", () => {
    expect(() => parseConfig({}, { project: "platform", stack: "dev" })).toThrow(
      expect.objectContaining({ name: "ConfigError", isConfigError: true, stackName: "dev" }),
    );
  });
});
