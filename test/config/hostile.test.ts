import { parseConfig } from "../../config/load";
import { readStackConfig } from "../../tools/runner";
import { Case, DEV_GROUP, devGroup, devService, expectRejected, prodService } from "./support";

// Issue 9: malformed or dangerous configurations on top of malformed.test.ts. Each starts
// from a real stack file and must be rejected by the config module, before any resource
// exists, with a line naming the key (no-partial-deploy.test.ts shows the "before").

const A_DIGEST = `sha256:${"a".repeat(64)}`;
// 40 characters: its own role prefix fits IAM's limit, a node group's role name does not.
const LONG_STACK = "pr-4711-upgrade-eks-and-rotate-node-amis";
const ARN = (n: number) => `arn:aws:iam::123456789012:policy/p${n}`;

const shapes: Case[] = [
  {
    name: "JSON null for a map",
    base: "dev",
    change: { nodeGroups: "null" },
    expect: "platform:nodeGroups: must be a map of node group name to settings; got null",
  },
  {
    name: "a JSON number for a map",
    base: "dev",
    change: { nodeGroups: "42" },
    expect: "platform:nodeGroups: must be a map of node group name to settings; got 42",
  },
  {
    name: "a JSON string for a map",
    base: "dev",
    change: { services: '"app"' },
    expect: 'platform:services: must be a map of service name to settings; got "app"',
  },
  {
    name: "a list for a service's settings",
    base: "dev",
    change: { services: { app: [] } },
    expect: "platform:services.app: must be an object of service settings; got []",
  },
  {
    name: "a string for a node group's settings",
    base: "dev",
    change: { nodeGroups: { general: "t3.medium" } },
    expect:
      'platform:nodeGroups.general: must be an object of node group settings; got "t3.medium"',
  },
  {
    name: "a scalar for the admins list",
    base: "dev",
    change: { access: { admins: "arn:aws:iam::123456789012:role/admin" } },
    expect:
      'platform:access.admins: must be a list of IAM role or user ARNs; got "arn:aws:iam::123456789012:role/admin"',
  },
  {
    name: "a number for an environment variable",
    base: "dev",
    change: devService({ env: { LOG_LEVEL: 1 } }),
    expect: "platform:services.app.env.LOG_LEVEL: must be a string; got 1",
  },
  {
    name: "a boolean for a node label",
    base: "dev",
    change: devGroup({ labels: { team: true } }),
    expect: "platform:nodeGroups.general.labels.team: must be a Kubernetes label value; got true",
  },
  {
    name: "a string for a taint",
    base: "dev",
    change: devGroup({ taints: ["NO_SCHEDULE"] }),
    expect:
      'platform:nodeGroups.general.taints[0]: must be a taint: an object with key, value and effect; got "NO_SCHEDULE"',
  },
  {
    name: "a list for the VPC CIDR",
    base: "dev",
    change: { vpcCidr: ["10.0.0.0/16"] },
    expect: 'platform:vpcCidr: must be an IPv4 CIDR block such as 10.0.0.0/16; got ["10.0.0.0/16"]',
  },
  {
    name: "a list for azCount",
    base: "dev",
    change: { azCount: [2] },
    expect: "platform:azCount: must be an integer from 2 to 6; got [2]",
  },
  {
    name: "an object for production",
    base: "prod",
    change: { production: { value: true } },
    expect: 'platform:production: must be true or false; got {"value":true}',
  },
  {
    name: "broken JSON for a map",
    base: "dev",
    change: { services: "{app:" },
    expect: 'platform:services: must be a map of service name to settings; got "{app:"',
  },
];

const numbers: Case[] = [
  {
    name: "azCount 1 (EKS needs subnets in two AZs)",
    base: "dev",
    change: { azCount: 1 },
    expect: "platform:azCount: must be an integer from 2 to 6; got 1",
  },
  {
    name: "azCount -1",
    base: "dev",
    change: { azCount: -1 },
    expect: "platform:azCount: must be an integer from 2 to 6; got -1",
  },
  {
    name: "azCount 1e308",
    base: "prod",
    change: { azCount: 1e308 },
    expect: "platform:azCount: must be an integer from 2 to 6; got 1e+308",
  },
  {
    name: "azCount beyond a double (JSON 1e999 is Infinity)",
    base: "dev",
    change: { azCount: "1e999" },
    expect: "platform:azCount: must be an integer from 2 to 6; got Infinity",
  },
  {
    name: "2**53 GB of NAT traffic",
    base: "dev",
    change: { natTrafficGbPerMonth: 2 ** 53 },
    expect:
      "platform:natTrafficGbPerMonth: must be an integer from 0 to 10000000; got 9007199254740992",
  },
  {
    name: "negative NAT traffic",
    base: "prod",
    change: { natTrafficGbPerMonth: -1 },
    expect: "platform:natTrafficGbPerMonth: must be an integer from 0 to 10000000; got -1",
  },
  {
    name: "maxSize 1e308",
    base: "dev",
    change: devGroup({ maxSize: 1e308 }),
    expect: "platform:nodeGroups.general.maxSize: must be an integer from 1 to 450; got 1e+308",
  },
  {
    name: "port 65536",
    base: "dev",
    change: devService({ port: 65536 }),
    expect: "platform:services.app.port: must be an integer from 1024 to 65535; got 65536",
  },
  {
    name: "a negative port",
    base: "prod",
    change: prodService({ port: -8080 }),
    expect: "platform:services.app.port: must be an integer from 1024 to 65535; got -8080",
  },
  {
    name: "minReplicas 0",
    base: "dev",
    change: devService({ minReplicas: 0 }),
    expect: "platform:services.app.minReplicas: must be an integer from 1 to 100; got 0",
  },
  {
    name: "a million-GiB node disk",
    base: "dev",
    change: devGroup({ diskSizeGiB: 1e6 }),
    expect:
      "platform:nodeGroups.general.diskSizeGiB: must be an integer from 20 to 16384; got 1000000",
  },
  {
    name: "a fractional CPU target",
    base: "dev",
    change: devService({ targetCpuPercent: 1.5 }),
    expect: "platform:services.app.targetCpuPercent: must be an integer from 10 to 100; got 1.5",
  },
  {
    name: "a negative log retention",
    base: "prod",
    change: { clusterLogRetentionDays: -30 },
    expect: { key: "platform:clusterLogRetentionDays", rule: "retention periods" },
  },
  {
    name: "a zero CPU request",
    base: "dev",
    change: devService({ cpu: "0" }),
    expect: 'platform:services.app.cpu: must be more than zero; got "0"',
  },
  {
    name: "a CPU request no node can hold",
    base: "dev",
    change: devService({ cpu: "64" }),
    expect:
      'platform:services.app.cpu: must be less than the 4 vCPUs of the largest node (the node keeps some for itself), or the pods never schedule; got "64"',
  },
  {
    name: "a memory request no node can hold",
    base: "prod",
    change: prodService({ memory: "64Gi" }),
    expect:
      'platform:services.app.memory: must be less than the 32 GiB of the largest node (the node keeps some for itself), or the pods never schedule; got "64Gi"',
  },
];

const cidrs: Case[] = [
  {
    name: "a link-local block for the public endpoint",
    base: "dev",
    change: { publicAccessCidrs: ["169.254.0.0/16"] },
    expect: { key: "platform:publicAccessCidrs[0]", rule: "must be a block of internet addresses" },
  },
  {
    name: "the same public block twice",
    base: "prod",
    change: { publicAccessCidrs: ["198.51.100.7/32", "198.51.100.7/32"] },
    expect:
      'platform:publicAccessCidrs[1]: must not overlap publicAccessCidrs[0] (198.51.100.7/32); got "198.51.100.7/32"',
  },
  {
    name: "a VPC just outside 172.16.0.0/12",
    base: "dev",
    change: { vpcCidr: "172.32.0.0/16" },
    expect: { key: "platform:vpcCidr", rule: "must lie in private address space" },
  },
  {
    name: "a VPC on the Kubernetes service CIDR",
    base: "prod",
    change: { vpcCidr: "172.20.0.0/16" },
    expect:
      'platform:vpcCidr: must not overlap the cluster\'s Kubernetes service CIDR 172.20.0.0/16 (lib/cidr.ts): pods could not reach the VPC addresses it shadows; got "172.20.0.0/16"',
  },
  {
    name: "a VPC CIDR with a trailing space",
    base: "dev",
    change: { vpcCidr: "10.0.0.0/16 " },
    expect: 'platform:vpcCidr: must be an IPv4 CIDR block such as 10.0.0.0/16; got "10.0.0.0/16 "',
  },
  {
    name: "an empty VPC CIDR",
    base: "prod",
    change: { vpcCidr: "" },
    expect: 'platform:vpcCidr: must be an IPv4 CIDR block such as 10.0.0.0/16; got ""',
  },
  {
    name: "subnets that together outgrow the VPC",
    base: "dev",
    change: { publicSubnetPrefix: 19, privateSubnetPrefix: 17 },
    expect:
      'platform:vpcCidr: must hold the subnet plan: 2 AZs of one /19 public and one /17 private subnet need 81920 addresses but 10.0.0.0/16 has 65536; use a larger VPC or smaller subnets; got "10.0.0.0/16"',
  },
  {
    name: "private subnets as large as the VPC",
    base: "dev",
    change: { vpcCidr: "10.0.0.0/20" },
    expect: {
      key: "platform:vpcCidr",
      rule: "a private subnet prefix must be longer than the VPC's /20 and at most /28; got /19",
    },
  },
];

const versionsAndTypes: Case[] = [
  {
    name: "a patch version",
    base: "dev",
    change: { kubernetesVersion: "1.35.0" },
    expect: { key: "platform:kubernetesVersion", rule: "must be a supported Kubernetes version" },
  },
  {
    name: "a v-prefixed version",
    base: "prod",
    change: { kubernetesVersion: "v1.35" },
    expect: { key: "platform:kubernetesVersion", rule: "must be a supported Kubernetes version" },
  },
  {
    name: "latest as a version",
    base: "dev",
    change: { kubernetesVersion: "latest" },
    expect: { key: "platform:kubernetesVersion", rule: "must be a supported Kubernetes version" },
  },
  {
    name: "an instance type without a price",
    base: "dev",
    change: devGroup({ instanceTypes: ["t3.nano"] }),
    expect: {
      key: "platform:nodeGroups.general.instanceTypes[0]",
      rule: "must be a known instance type (t3.medium,",
    },
  },
  {
    name: "an instance type in upper case",
    base: "prod",
    change: {
      nodeGroups: {
        general: { instanceTypes: ["M6I.LARGE"], minSize: 3, desiredSize: 3, maxSize: 9 },
      },
    },
    expect: {
      key: "platform:nodeGroups.general.instanceTypes[0]",
      rule: "must be a known instance type",
    },
  },
  {
    name: "an instance type named after an Object member",
    base: "dev",
    change: devGroup({ instanceTypes: ["toString"] }),
    expect: {
      key: "platform:nodeGroups.general.instanceTypes[0]",
      rule: "must be a known instance type",
    },
  },
  {
    name: "x86 and Graviton in one group",
    base: "dev",
    change: devGroup({ instanceTypes: ["t3.medium", "t4g.medium"] }),
    expect:
      'platform:nodeGroups.general.instanceTypes: must all have one CPU architecture (Graviton types such as t4g or m7g are arm64; put them in their own group); got ["t3.medium","t4g.medium"]',
  },
  {
    name: "no instance type",
    base: "dev",
    change: devGroup({ instanceTypes: [] }),
    expect:
      "platform:nodeGroups.general.instanceTypes: must list at least one instance type; got []",
  },
  {
    name: "an instance type twice",
    base: "dev",
    change: devGroup({ instanceTypes: ["t3.medium", "t3.medium"] }),
    expect:
      'platform:nodeGroups.general.instanceTypes[1]: must not repeat an instance type; got "t3.medium"',
  },
  {
    name: "a kube-proxy built for another Kubernetes version",
    base: "prod",
    change: { addonVersions: { "kube-proxy": "v1.34.1-eksbuild.2" } },
    expect:
      'platform:addonVersions.kube-proxy: must match the cluster\'s Kubernetes version 1.35 (v1.35.x-eksbuild.n); got "v1.34.1-eksbuild.2"',
  },
];

const worldOpen: Case[] = [
  {
    name: "0.0.0.0/0 in production",
    base: "prod",
    change: { publicAccessCidrs: ["0.0.0.0/0"] },
    expect:
      'platform:publicAccessCidrs[0]: must not open the API endpoint to the whole internet in a production stack; got "0.0.0.0/0"',
  },
  {
    name: "the internet in two halves in production",
    base: "prod",
    change: { publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
    expect:
      'platform:publicAccessCidrs: must not open the API endpoint to the whole internet in a production stack, even in slices; got ["0.0.0.0/1","128.0.0.0/1"]',
  },
  {
    name: "the internet in four quarters in production",
    base: "prod",
    change: {
      publicAccessCidrs: ["192.0.0.0/2", "0.0.0.0/2", "128.0.0.0/2", "64.0.0.0/2"],
    },
    expect: {
      key: "platform:publicAccessCidrs",
      rule: "must not open the API endpoint to the whole internet in a production stack, even in slices",
    },
  },
  {
    name: "a /7 in production",
    base: "prod",
    change: { publicAccessCidrs: ["8.0.0.0/7"] },
    expect:
      'platform:publicAccessCidrs: must admit at most 16777216 addresses (a /8\'s worth) to the API endpoint in a production stack; these admit 33554432; got ["8.0.0.0/7"]',
  },
  {
    name: "two /8s in production",
    base: "prod",
    change: { publicAccessCidrs: ["11.0.0.0/8", "12.0.0.0/8"] },
    expect: {
      key: "platform:publicAccessCidrs",
      rule: "these admit 33554432",
    },
  },
  {
    name: "a public endpoint with no allowed block",
    base: "dev",
    change: { publicAccessCidrs: [] },
    expect: {
      key: "platform:publicAccessCidrs",
      rule: "must list the CIDR blocks allowed to reach the public API endpoint when endpointPublicAccess is true",
    },
  },
  {
    name: "allowed blocks for a private-only endpoint",
    base: "prod",
    change: { endpointPublicAccess: false },
    expect:
      'platform:publicAccessCidrs: must be empty when endpointPublicAccess is false; got ["203.0.113.0/24"]',
  },
];

const collisions: Case[] = [
  {
    name: "a service given twice in JSON (the last would win)",
    base: "dev",
    change: { services: '{"app":{"minReplicas":1},"app":{"minReplicas":2}}' },
    expect:
      'platform:services.app (key): must not be given twice: JSON keeps only the last; got "app"',
  },
  {
    name: "a node group given twice in JSON",
    base: "dev",
    change: {
      nodeGroups: `{"general":${JSON.stringify({ instanceTypes: ["t3.medium"], minSize: 1, desiredSize: 1, maxSize: 2 })},"general":{}}`,
    },
    expect:
      'platform:nodeGroups.general (key): must not be given twice: JSON keeps only the last; got "general"',
  },
  {
    name: "a setting given twice inside a service",
    base: "prod",
    change: { services: '{"app":{"minReplicas":3,"maxReplicas":5,"minReplicas":1}}' },
    expect:
      'platform:services.app.minReplicas (key): must not be given twice: JSON keeps only the last; got "minReplicas"',
  },
  {
    name: "a service name that differs only in case",
    base: "dev",
    change: { services: { app: {}, App: {} } },
    expect:
      "platform:services.App (key): must be lower-case letters, digits and '-', starting with a letter; got \"App\"",
  },
  {
    name: "a service in kube-system",
    base: "dev",
    change: { services: { "kube-system": {} } },
    expect: {
      key: "platform:services.kube-system (key)",
      rule: "must not be a reserved namespace name (default, kube-system",
    },
  },
  {
    name: "a service in the monitoring namespace the platform owns",
    base: "prod",
    change: { services: { monitoring: { minReplicas: 2 } } },
    expect: { key: "platform:services.monitoring (key)", rule: "must not be a reserved namespace" },
  },
  {
    name: "a service in the default namespace",
    base: "dev",
    change: { services: { default: {} } },
    expect: { key: "platform:services.default (key)", rule: "must not be a reserved namespace" },
  },
  {
    name: "a service in a kube- namespace",
    base: "dev",
    change: { services: { "kube-tools": {} } },
    expect: { key: "platform:services.kube-tools (key)", rule: "or any kube-*" },
  },
  {
    name: "PORT in env, colliding with the service's port",
    base: "dev",
    change: devService({ env: { PORT: "9090" } }),
    expect:
      'platform:services.app.env.PORT (key): must not be PORT: the platform sets it from the service\'s port; got "PORT"',
  },
];

const replicas: Case[] = [
  {
    name: "one replica in production (the disruption budget then protects nothing)",
    base: "prod",
    change: prodService({ minReplicas: 1 }),
    expect:
      "platform:services.app.minReplicas: must be at least 2 in a production stack, so a node can drain while another pod serves; got 1",
  },
  {
    name: "one replica at most in production",
    base: "prod",
    change: prodService({ minReplicas: 1, maxReplicas: 1 }),
    expect: { key: "platform:services.app.minReplicas", rule: "must be at least 2" },
  },
];

const empty: Case[] = [
  {
    name: "an empty NAT strategy",
    base: "dev",
    change: { natStrategy: "" },
    expect: 'platform:natStrategy: must be one of single, perAz, instance; got ""',
  },
  {
    name: "an empty Kubernetes version",
    base: "prod",
    change: { kubernetesVersion: "" },
    expect: { key: "platform:kubernetesVersion", rule: "must be a supported Kubernetes version" },
  },
  {
    name: "an empty service name",
    base: "dev",
    change: { services: { "": {} } },
    expect: {
      key: "platform:services. (key)",
      rule: "must be lower-case letters, digits and '-', starting with a letter",
    },
  },
  {
    name: "an empty tag key",
    base: "dev",
    change: { tags: { "": "x" } },
    expect: { key: "platform:tags. (key)", rule: "must be an AWS tag key" },
  },
  {
    name: "an empty instance type",
    base: "dev",
    change: devGroup({ instanceTypes: [""] }),
    expect: {
      key: "platform:nodeGroups.general.instanceTypes[0]",
      rule: "must be a known instance type",
    },
  },
  {
    name: "an empty admin ARN",
    base: "dev",
    change: { access: { admins: [""] } },
    expect: 'platform:access.admins[0]: must be an IAM role or user ARN; got ""',
  },
  {
    name: "an empty region",
    base: "prod",
    change: { "aws:region": "" },
    expect: "aws:region: is required: set it with `pulumi config set aws:region us-east-1`",
  },
];

const unicode: Case[] = [
  {
    name: "a homoglyph key (Greek omicron in nodeGroups)",
    base: "dev",
    change: { "platform:nodeGr\u03BFups": "{}" },
    expect:
      'platform:nodeGr\u03BFups: is not a known key (it contains U+03BF, which no key has); did you mean "nodeGroups"?; got "{}"',
  },
  {
    name: "a zero-width space in a key",
    base: "prod",
    change: { "platform:azCount\u200B": "3" },
    expect:
      'platform:azCount\\u200B: is not a known key (it contains U+200B, which no key has); did you mean "azCount"?; got "3"',
  },
  {
    name: "a homoglyph key inside a node group (Cyrillic i in minSize)",
    base: "dev",
    change: devGroup({ minSize: undefined, "m\u0456nSize": 1 }),
    expect:
      'platform:nodeGroups.general.m\u0456nSize: is not a known key (it contains U+0456, which no key has); did you mean "minSize"?; got 1',
  },
  {
    name: "a service name with a Cyrillic a",
    base: "dev",
    change: { services: { "\u0430pp": {} } },
    expect: { key: "platform:services.\u0430pp (key)", rule: "must be lower-case letters" },
  },
  {
    name: "a right-to-left override in a tag value",
    base: "dev",
    change: { tags: { team: "team\u202Egro" } },
    expect:
      'platform:tags.team: must be an AWS tag value (at most 256 letters, digits, spaces and _.:/=+-@); got "team\\u202Egro"',
  },
  {
    name: "a zero-width joiner in a tag key",
    base: "prod",
    change: { tags: { "cost\u200Dcenter": "42" } },
    expect: { key: "platform:tags.cost\\u200Dcenter (key)", rule: "must be an AWS tag key" },
  },
  {
    name: "a non-ASCII environment variable name",
    base: "dev",
    change: devService({ env: { "\u041F\u0423\u0422\u042C": "/bin" } }),
    expect: {
      key: "platform:services.app.env.\u041F\u0423\u0422\u042C (key)",
      rule: "must be an environment variable name",
    },
  },
  {
    name: "full-width digits for azCount",
    base: "dev",
    change: { azCount: "\uFF12" },
    expect: 'platform:azCount: must be an integer from 2 to 6; got "\uFF12"',
  },
  {
    name: "a newline in a key",
    base: "dev",
    change: { "platform:azCount\nplatform:production": "true" },
    expect: {
      key: "platform:azCount\\u000Aplatform:production",
      rule: "is not a known key (it contains U+000A, which no key has)",
    },
  },
];

const longNames: Case[] = [
  {
    name: "a stack name that makes the EKS cluster name over 100 characters",
    base: "dev",
    change: {},
    stackName: "s".repeat(100),
    expect: {
      key: "(stack name)",
      rule: "makes the EKS cluster name longer than 100 characters",
    },
  },
  {
    name: "a stack name that makes IAM role names over 64 characters with Pulumi's suffix",
    base: "dev",
    change: {},
    stackName: "review-".padEnd(50, "x"),
    expect: `(stack name): makes IAM role names longer than 56 characters; got "${"review-".padEnd(50, "x")}"`,
  },
  {
    name: "a stack name that makes the ECR repository name over 256 characters",
    base: "dev",
    change: {},
    stackName: "r".repeat(250),
    expect: {
      key: "(stack name)",
      rule: "makes the ECR repository name longer than 256 characters",
    },
  },
  {
    name: "a stack name that makes the ECR repository name invalid",
    base: "dev",
    change: {},
    stackName: "pr..42",
    expect:
      '(stack name): makes the ECR repository name "platform-pr--42/app" invalid: separators (-, _, .) must sit between letters or digits; got "pr..42"',
  },
  {
    name: "a 40-character service name whose IAM role name is too long",
    base: "dev",
    change: { services: { ["a".repeat(40)]: {} } },
    expect: {
      key: `platform:services.${"a".repeat(40)}`,
      rule: `makes the IAM role name "platform-dev-svc-${"a".repeat(40)}" longer than 56 characters`,
    },
  },
  {
    name: "a 41-character service name",
    base: "dev",
    change: { services: { ["b".repeat(41)]: {} } },
    expect: {
      key: `platform:services.${"b".repeat(41)} (key)`,
      rule: "must be at most 40 characters",
    },
  },
  {
    name: "a 25-character node group name",
    base: "dev",
    change: { nodeGroups: { ["n".repeat(25)]: DEV_GROUP } },
    expect: {
      key: `platform:nodeGroups.${"n".repeat(25)} (key)`,
      rule: "must be at most 24 characters",
    },
  },
  {
    name: "a node group name that makes its role name too long on a long stack",
    base: "prod",
    change: {},
    stackName: LONG_STACK,
    expect: {
      key: "platform:nodeGroups.system",
      rule: `makes the IAM role name "platform-${LONG_STACK}-ng-system" longer than 56 characters`,
    },
  },
];

const prototypeKeys: Case[] = [
  {
    name: "__proto__ as a node group",
    base: "dev",
    change: {
      nodeGroups:
        '{"__proto__":{"instanceTypes":["t3.medium"],"minSize":1,"desiredSize":1,"maxSize":1}}',
    },
    expect:
      'platform:nodeGroups.__proto__ (key): must not be used as a key: __proto__, constructor, prototype are reserved JavaScript property names; got "__proto__"',
  },
  {
    name: "constructor as a tag",
    base: "dev",
    change: { tags: { constructor: "x" } },
    expect: { key: "platform:tags.constructor (key)", rule: "must not be used as a key" },
  },
  {
    name: "constructor as a service",
    base: "prod",
    change: { services: { constructor: { minReplicas: 2 } } },
    expect: { key: "platform:services.constructor (key)", rule: "must not be used as a key" },
  },
  {
    name: "__proto__ as a node label",
    base: "dev",
    change: devGroup({ labels: JSON.parse('{"__proto__":{"polluted":"yes"}}') as object }),
    expect: {
      key: "platform:nodeGroups.general.labels.__proto__ (key)",
      rule: "must not be used as a key",
    },
  },
  {
    name: "prototype as an environment variable",
    base: "dev",
    change: devService({ env: { prototype: "x" } }),
    expect: { key: "platform:services.app.env.prototype (key)", rule: "must not be used as a key" },
  },
  {
    name: "__proto__ inside a node group's settings",
    base: "dev",
    change: {
      nodeGroups: `{"general":{"instanceTypes":["t3.medium"],"minSize":1,"desiredSize":1,"maxSize":2,"__proto__":{"minSize":0}}}`,
    },
    expect: {
      key: "platform:nodeGroups.general.__proto__ (key)",
      rule: "must not be used as a key",
    },
  },
  {
    name: "__proto__ as a top-level key",
    base: "dev",
    change: { "platform:__proto__": "{}" },
    expect: { key: "platform:__proto__", rule: "is not a known key" },
  },
];

const dangerous: Case[] = [
  {
    name: "every node group parked at zero nodes (addons would never become ACTIVE)",
    base: "dev",
    change: {
      nodeGroups: {
        general: { instanceTypes: ["t3.medium"], minSize: 0, desiredSize: 0, maxSize: 3 },
      },
    },
    expect:
      'platform:nodeGroups: must start at least one group with desiredSize >= 1, for coredns, metrics-server and the EBS CSI controller to run on; got {"general":0}',
  },
  {
    name: "the Kubernetes layer without a cluster",
    base: "dev",
    change: { eksCluster: false },
    expect:
      "platform:kubernetesWorkloads: must be false when eksCluster is false: there is no cluster to deploy into; got true",
  },
  {
    name: "a production stack without its cluster layer",
    base: "prod",
    change: { eksCluster: false, kubernetesWorkloads: false },
    expect: "platform:eksCluster: must be true in a production stack; got false",
  },
  {
    name: "a Name tag that would rename every resource",
    base: "dev",
    change: { tags: { Name: "prod-db" } },
    expect: { key: "platform:tags.Name (key)", rule: "must not be a tag the platform sets" },
  },
  {
    name: "a pulumi:stack tag that would mislabel costs",
    base: "prod",
    change: { tags: { "pulumi:stack": "dev" } },
    expect: {
      key: "platform:tags.pulumi:stack (key)",
      rule: "must not be a tag the platform sets",
    },
  },
  {
    name: "an AWS: tag in upper case",
    base: "dev",
    change: { tags: { "AWS:owner": "me" } },
    expect: { key: "platform:tags.AWS:owner (key)", rule: "not aws:" },
  },
  {
    name: "a kubernetes.io tag that would break load balancer discovery",
    base: "dev",
    change: { tags: { "kubernetes.io/role/elb": "1" } },
    expect: { key: "platform:tags.kubernetes.io/role/elb (key)", rule: "kubernetes.io/*" },
  },
  {
    name: "more tags than AWS resources can hold",
    base: "dev",
    change: { tags: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`t${i}`, "x"])) },
    expect: { key: "platform:tags", rule: "must hold at most 40 tags" },
  },
  {
    name: "a 257-character tag value",
    base: "dev",
    change: { tags: { team: "x".repeat(257) } },
    expect: { key: "platform:tags.team", rule: "must be an AWS tag value (at most 256" },
  },
  {
    name: "ecrForceDelete in production",
    base: "prod",
    change: { ecrForceDelete: true },
    expect:
      "platform:ecrForceDelete: must be false in a production stack, so a destroy cannot delete images; got true",
  },
  {
    name: "no deletion protection in production",
    base: "prod",
    change: { deletionProtection: false },
    expect: "platform:deletionProtection: must be true in a production stack; got false",
  },
  {
    name: "unprotected resources in production",
    base: "prod",
    change: { protectResources: false },
    expect: "platform:protectResources: must be true in a production stack; got false",
  },
  {
    name: "a single NAT gateway in production",
    base: "prod",
    change: { natStrategy: "single" },
    expect:
      'platform:natStrategy: must be perAz in a production stack, so losing an AZ does not cut the others off; got "single"',
  },
  {
    name: "a NAT instance in production",
    base: "prod",
    change: { natStrategy: "instance" },
    expect:
      'platform:natStrategy: must be perAz in a production stack, so losing an AZ does not cut the others off; got "instance"',
  },
  {
    name: "two AZs in production",
    base: "prod",
    change: { azCount: 2 },
    expect: "platform:azCount: must be at least 3 in a production stack; got 2",
  },
  {
    name: "a 7-day KMS deletion window in production",
    base: "prod",
    change: { kmsDeletionWindowDays: 7 },
    expect: "platform:kmsDeletionWindowDays: must be 30 in a production stack; got 7",
  },
  {
    name: "a viewer who is already an admin",
    base: "dev",
    change: {
      access: {
        admins: ["arn:aws:iam::123456789012:role/ops"],
        viewers: ["arn:aws:iam::123456789012:role/ops"],
      },
    },
    expect:
      'platform:access.viewers[0]: must not repeat a principal that is already an admin; got "arn:aws:iam::123456789012:role/ops"',
  },
  {
    name: "a production stack that names no cluster admin",
    base: "prod",
    change: { access: { admins: [], viewers: [] } },
    expect: {
      key: "platform:access",
      rule: "must name the cluster admins (admins, or ciDeployRole) in a production stack",
    },
  },
  {
    name: "the CI deploy role also listed as an admin",
    base: "dev",
    change: {
      access: {
        admins: ["arn:aws:iam::123456789012:role/deploy"],
        ciDeployRole: "arn:aws:iam::123456789012:role/deploy",
      },
    },
    expect:
      'platform:access.ciDeployRole: must not also be listed in admins or viewers (it gets its own access entry); got "arn:aws:iam::123456789012:role/deploy"',
  },
  {
    name: "one role as both CI deploy and CI preview role",
    base: "dev",
    change: {
      access: {
        ciDeployRole: "arn:aws:iam::123456789012:role/ci",
        ciPreviewRole: "arn:aws:iam::123456789012:role/ci",
      },
    },
    expect:
      'platform:access.ciPreviewRole: must differ from ciDeployRole (previews run read-only); got "arn:aws:iam::123456789012:role/ci"',
  },
  {
    name: "a CI role that is a user, not a role",
    base: "dev",
    change: { access: { ciPreviewRole: "arn:aws:iam::123456789012:user/ci" } },
    expect: {
      key: "platform:access.ciPreviewRole",
      rule: "must be empty or an IAM role ARN",
    },
  },
  {
    name: "persistent observability data with observability off",
    base: "dev",
    change: { observabilityPersistence: true },
    expect:
      "platform:observabilityPersistence: must be false when observability is false: there is nothing to persist; got true",
  },
  {
    name: "an ECR key from another region",
    base: "prod",
    change: {
      ecrKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
    },
    expect: {
      key: "platform:ecrKmsKeyArn",
      rule: "must be a key in the stack's region us-east-1: ECR cannot use a key from another region",
    },
  },
  {
    name: "eleven managed policies on one service role",
    base: "dev",
    change: devService({ awsPolicyArns: Array.from({ length: 11 }, (_, i) => ARN(i)) }),
    expect: { key: "platform:services.app.awsPolicyArns", rule: "must list at most 10 policies" },
  },
  {
    name: "the app image by a mutable tag",
    base: "prod",
    change: { appImage: "nginx:latest" },
    expect: { key: "platform:appImage", rule: "must be an image reference by digest" },
  },
  {
    name: "a service image without a registry or repository path",
    base: "dev",
    change: devService({ image: `app@${A_DIGEST}` }),
    expect: { key: "platform:services.app.image", rule: "must be an image reference by digest" },
  },
  {
    name: "a user ARN where the kubeconfig needs a role",
    base: "dev",
    change: { kubeconfigRoleArn: "arn:aws:iam::123456789012:user/alice" },
    expect:
      'platform:kubeconfigRoleArn: must be empty or an IAM role ARN; got "arn:aws:iam::123456789012:user/alice"',
  },
  {
    name: "a log type twice",
    base: "prod",
    change: { clusterLogTypes: ["api", "audit", "api"] },
    expect: 'platform:clusterLogTypes[2]: must not repeat a log type; got "api"',
  },
  {
    name: "a kubeconfig profile with a space",
    base: "dev",
    change: { kubeconfigProfile: "my profile" },
    expect: 'platform:kubeconfigProfile: must be empty or an AWS profile name; got "my profile"',
  },
];

const all = [
  ...shapes,
  ...numbers,
  ...cidrs,
  ...versionsAndTypes,
  ...worldOpen,
  ...collisions,
  ...replicas,
  ...empty,
  ...unicode,
  ...longNames,
  ...prototypeKeys,
  ...dangerous,
];

describe("a hostile stack config", () => {
  it.each(shapes)("rejects JSON of the wrong shape: $name", expectRejected);
  it.each(numbers)("rejects a negative, huge or impossible number: $name", expectRejected);
  it.each(cidrs)("rejects CIDRs that overlap or do not fit: $name", expectRejected);
  it.each(versionsAndTypes)(
    "rejects an unsupported version or instance type: $name",
    expectRejected,
  );
  it.each(worldOpen)("rejects an API endpoint open to the world: $name", expectRejected);
  it.each(collisions)("rejects services that collide on name or port: $name", expectRejected);
  it.each(replicas)("rejects replicas below the disruption budget: $name", expectRejected);
  it.each(empty)("rejects an empty string: $name", expectRejected);
  it.each(unicode)("rejects and shows unicode tricks: $name", expectRejected);
  it.each(longNames)("rejects a name over an AWS limit: $name", expectRejected);
  it.each(prototypeKeys)("rejects a prototype-pollution key: $name", expectRejected);
  it.each(dangerous)("rejects a dangerous setting: $name", expectRejected);

  it("has at least 60 cases", () => {
    expect(all.length).toBeGreaterThanOrEqual(60);
  });
});

describe("what hostile input cannot do", () => {
  it("cannot pollute Object.prototype through a __proto__ key", () => {
    const { project, config } = readStackConfig("dev", {
      tags: '{"__proto__":{"polluted":"yes"}}',
      services: '{"app":{"__proto__":{"polluted":"yes"}}}',
    });
    expect(() => parseConfig(config, { project, stack: "dev" })).toThrow("__proto__ (key)");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("cannot hide a direction override in the error message", () => {
    const { project, config } = readStackConfig("dev", { tags: { team: "\u202Eevil" } });
    expect(() => parseConfig(config, { project, stack: "dev" })).toThrow(
      expect.objectContaining({
        message: expect.not.stringMatching(/[\u202A-\u202E\u2066-\u2069]/),
      }),
    );
  });

  it("allows two exposed services on one port: each gets its own NLB and pod IPs", () => {
    const { project, config } = readStackConfig("dev", {
      services: {
        app: { minReplicas: 1, maxReplicas: 2, expose: "internet", port: 8080 },
        api: { minReplicas: 1, maxReplicas: 2, expose: "internet", port: 8080 },
      },
    });
    expect(parseConfig(config, { project, stack: "dev" }).services.api?.port).toBe(8080);
  });

  it("cannot slow validation down with huge keys or long lists", () => {
    const { project, config } = readStackConfig("prod", {
      [`platform:${"x\u0430".repeat(50_000)}`]: "1",
      publicAccessCidrs: Array.from({ length: 10_000 }, (_, i) => `203.0.${i % 256}.0/24`),
      clusterLogTypes: Array.from({ length: 10_000 }, () => "api"),
    });
    const started = Date.now();
    let problems: readonly { key: string }[] = [];
    try {
      parseConfig(config, { project, stack: "prod" });
    } catch (error) {
      problems = (error as { problems: { key: string }[] }).problems;
    }
    expect(Date.now() - started).toBeLessThan(3000);
    expect(problems.map((p) => p.key)).toContain(`platform:${"x\u0430".repeat(30)}x...`);
    expect(problems.map((p) => p.key)).toContain("platform:clusterLogTypes[9999]");
    expect(problems.map((p) => p.key)).toContain("platform:publicAccessCidrs[9999]");
  });

  it("keeps long lists of problems readable: at most 50 lines, then a count", () => {
    const { project, config } = readStackConfig("dev", {
      tags: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`aws:t${i}`, "x"])),
    });
    let message = "";
    try {
      parseConfig(config, { project, stack: "dev" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toHaveLength(1 + 50 + 1);
    expect(message).toContain("  - ... and 10 more");
  });
});
