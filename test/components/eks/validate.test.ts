import { isWorldOpen } from "../../../lib/cidr";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import {
  EksCluster,
  EksClusterArgs,
  NodeGroupArgs,
  assertValidEksClusterArgs,
  nodeGroupProblems,
  unexpectedCaller,
  validateEksClusterArgs,
} from "../../../components/eks";
import { DEV, PROD } from "./fixtures";

const GENERAL = DEV.nodeGroups.general as NodeGroupArgs;
const withGroup = (args: EksClusterArgs, group: Partial<NodeGroupArgs>): EksClusterArgs => ({
  ...args,
  nodeGroups: { general: { ...GENERAL, ...group } },
});

describe("validateEksClusterArgs", () => {
  it.each([
    ["dev", DEV],
    ["prod", PROD],
  ])("accepts the %s settings", (_, args) => {
    expect(validateEksClusterArgs(args)).toEqual([]);
  });

  it.each<[string, EksClusterArgs, string]>([
    [
      "an unsupported Kubernetes version",
      { ...DEV, version: "1.29" },
      'version must be a supported Kubernetes version (1.34, 1.35); got "1.29"',
    ],
    [
      "a public endpoint open to the world when the caller does not allow it (production)",
      { ...PROD, publicAccessCidrs: ["10.1.0.0/16", "0.0.0.0/0"] },
      'publicAccessCidrs must not open the public API endpoint to the whole internet unless allowWorldOpenEndpoint is true; got ["10.1.0.0/16","0.0.0.0/0"]',
    ],
    [
      "a node group mixing architectures",
      withGroup(DEV, { instanceTypes: ["t3.medium", "t4g.medium"] }),
      "nodeGroups.general.instanceTypes must all have one CPU architecture (Graviton types such as t4g or m7g are arm64; put them in their own group); got t3.medium (x86_64), t4g.medium (arm64)",
    ],
    [
      "a node group whose minimum exceeds its maximum",
      withGroup(DEV, { minSize: 4, desiredSize: 4, maxSize: 3 }),
      "nodeGroups.general must have minSize <= desiredSize <= maxSize and maxSize >= 1; got minSize 4, desiredSize 4, maxSize 3",
    ],
    [
      "a desired size outside min and max",
      withGroup(DEV, { minSize: 2, desiredSize: 1, maxSize: 3 }),
      "nodeGroups.general must have minSize <= desiredSize <= maxSize and maxSize >= 1; got minSize 2, desiredSize 1, maxSize 3",
    ],
    [
      "an unknown addon in the version overrides",
      { ...DEV, addonVersions: { cilium: "v1.16.0-eksbuild.1" } },
      'addonVersions must name only known addons (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server); got "cilium"',
    ],
    [
      "a public endpoint with no CIDR list (EKS would open it to the world)",
      { ...DEV, publicAccessCidrs: [] },
      "publicAccessCidrs must list the CIDR blocks allowed to reach the public endpoint when endpointPublicAccess is true (EKS reads an empty list as 0.0.0.0/0); got []",
    ],
    [
      "CIDRs for a private-only endpoint",
      { ...DEV, endpointPublicAccess: false },
      'publicAccessCidrs must be empty when endpointPublicAccess is false; got ["0.0.0.0/0"]',
    ],
    [
      "a CIDR with host bits set",
      { ...PROD, publicAccessCidrs: ["203.0.113.7/24"] },
      'publicAccessCidrs[0] has host bits set; the network address is 203.0.113.0/24; got "203.0.113.7/24"',
    ],
    [
      "a single subnet",
      { ...DEV, subnetIds: ["subnet-a"] },
      "subnetIds must list private subnets in at least 2 AZs (EKS requires two); got 1",
    ],
    [
      "an assumed-role session as an admin",
      { ...DEV, admins: ["arn:aws:sts::123456789012:assumed-role/Admin/me"] },
      'admins[0] must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/Admin, not an assumed-role session; got "arn:aws:sts::123456789012:assumed-role/Admin/me"',
    ],
    [
      "a CI preview role that is a user, not a role",
      { ...DEV, ciPreviewRole: "arn:aws:iam::123456789012:user/ci" },
      'ciPreviewRole must be empty or an IAM role ARN such as arn:aws:iam::123456789012:role/ci; got "arn:aws:iam::123456789012:user/ci"',
    ],
    [
      "a viewer who is already an admin",
      { ...PROD, viewers: PROD.admins },
      'viewers must not repeat a principal that is already an admin; got "arn:aws:iam::123456789012:role/PlatformAdmin"',
    ],
    [
      "a cluster name EKS rejects",
      { ...DEV, clusterName: "-platform dev" },
      "clusterName must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit; got \"-platform dev\"",
    ],
    [
      "a retention CloudWatch Logs does not offer",
      { ...DEV, logRetentionDays: 45 },
      "logRetentionDays must be a CloudWatch Logs retention period; got 45",
    ],
    [
      "a KMS deletion window outside 7 to 30 days",
      { ...DEV, kmsDeletionWindowDays: 3 },
      "kmsDeletionWindowDays must be an integer from 7 to 30; got 3",
    ],
    [
      "no node group",
      { ...DEV, nodeGroups: {} },
      "nodeGroups must define at least one node group; got {}",
    ],
    [
      "node groups that start with no node (the addons created after them would never become ACTIVE)",
      withGroup(DEV, { minSize: 0, desiredSize: 0 }),
      "nodeGroups must start at least one group with desiredSize >= 1, for coredns, metrics-server and the EBS CSI controller to run on; got desiredSize 0",
    ],
    [
      "a node group name that is not a DNS label",
      { ...DEV, nodeGroups: { General_1: GENERAL } },
      "nodeGroups.General_1 must be named with lower-case letters, digits and '-' (at most 24, starting with a letter); got \"General_1\"",
    ],
  ])("rejects %s", (_, args, message) => {
    expect(validateEksClusterArgs(args)).toEqual([message]);
  });

  it("leaves the subnet count of an Output (known only at deployment) to EKS", () => {
    expect(validateEksClusterArgs({ ...DEV, subnetIds: pulumi.output(["subnet-a"]) })).toEqual([]);
  });

  it("accepts a world-open endpoint when the caller allows it (dev)", () => {
    expect(validateEksClusterArgs({ ...DEV, allowWorldOpenEndpoint: true })).toEqual([]);
    expect(validateEksClusterArgs({ ...DEV, allowWorldOpenEndpoint: false })).toEqual([
      'publicAccessCidrs must not open the public API endpoint to the whole internet unless allowWorldOpenEndpoint is true; got ["0.0.0.0/0"]',
    ]);
  });

  it("accepts a group that starts empty beside one that starts with nodes", () => {
    const empty = { ...GENERAL, minSize: 0, desiredSize: 0 };
    expect(
      validateEksClusterArgs({ ...DEV, nodeGroups: { general: GENERAL, batch: empty } }),
    ).toEqual([]);
  });

  it("accepts any node group with one architecture and sizes in order", () => {
    const types = fc.constantFrom(
      ["t3.medium", "t3a.medium"],
      ["m6i.large"],
      ["t4g.medium", "m7g.large"],
      ["c7g.large"],
    );
    fc.assert(
      fc.property(types, fc.nat(450), fc.nat(450), fc.nat(450), (instanceTypes, a, b, c) => {
        const [minSize = 0, desiredSize = 0, maxSize = 0] = [a, b, c].sort((x, y) => x - y);
        fc.pre(maxSize >= 1);
        const group: NodeGroupArgs = { ...GENERAL, instanceTypes, minSize, desiredSize, maxSize };
        return nodeGroupProblems("general", group).length === 0;
      }),
    );
  });
});

describe("isWorldOpen", () => {
  it.each<[string[], boolean]>([
    [["0.0.0.0/0"], true],
    [["203.0.113.0/24", "0.0.0.0/0"], true],
    [[], true],
    [["203.0.113.0/24"], false],
    [["10.0.0.0/8", "198.51.100.0/24"], false],
    [["0.0.0.0/1", "128.0.0.0/1"], true],
  ])("%j is world-open: %s", (cidrs, open) => {
    expect(isWorldOpen(cidrs)).toBe(open);
  });
});

describe("EksCluster args checks", () => {
  const bad: EksClusterArgs = {
    ...withGroup(DEV, { minSize: 5 }),
    version: "1.20",
    addonVersions: { "vpc-cni": "v1.21.1-eksbuild.7", cilium: "v1" },
  };
  const expected =
    'Invalid EksCluster "dev" args (3 problems):\n' +
    '  - version must be a supported Kubernetes version (1.34, 1.35); got "1.20"\n' +
    "  - nodeGroups.general must have minSize <= desiredSize <= maxSize and maxSize >= 1; got minSize 5, desiredSize 2, maxSize 3\n" +
    '  - addonVersions must name only known addons (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server); got "cilium"';

  it("throws one error listing every problem", () => {
    expect(() => assertValidEksClusterArgs("dev", bad)).toThrow(expected);
  });

  it("fails the constructor before any resource is registered (no Pulumi engine is needed)", () => {
    expect(() => new EksCluster("dev", bad)).toThrow(expected);
  });
});

describe("unexpectedCaller", () => {
  const ROLE = (n: string) => `arn:aws:iam::111122223333:role/${n}`;
  const access = {
    admins: [],
    viewers: [ROLE("auditor")],
    ciDeployRole: "",
    ciPreviewRole: ROLE("preview"),
  };

  it.each([
    ["the CI preview role", ROLE("preview"), "the CI preview role (access.ciPreviewRole)"],
    ["a viewer", ROLE("auditor"), "a viewer (access.viewers)"],
  ])("refuses %s as the admin-by-default caller", (_, caller, who) => {
    expect(unexpectedCaller(access, caller)).toContain(
      `when the program runs as ${caller}, ${who}`,
    );
  });

  it("accepts anyone else, and anyone at all once an admin is configured", () => {
    expect(unexpectedCaller(access, ROLE("laptop"))).toBeUndefined();
    expect(
      unexpectedCaller({ ...access, ciDeployRole: ROLE("deploy") }, ROLE("preview")),
    ).toBeUndefined();
    expect(unexpectedCaller({ ...access, admins: [ROLE("ops")] }, ROLE("auditor"))).toBeUndefined();
  });
});
