import { z } from "zod";
import { ClusterSource } from "./cluster-source";
import {
  AMI_ALIAS,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_NODE_AMI_ALIAS,
  EKS_ADDONS,
  SUPPORTED_KUBERNETES_VERSIONS,
  UpgradePolicy,
} from "../lib/versions";
import {
  bool,
  int,
  list,
  map,
  noOverlaps,
  noRepeats,
  onList,
  oneOf,
  optionalText,
  publicCidr,
  retention,
  text,
  vpcCidr,
} from "./fields";
import {
  ADDON_VERSION,
  IMAGE_BY_DIGEST,
  IMAGE_RULE,
  KMS_KEY_ARN,
  ROLE_ARN,
  TAG_KEY,
  TAG_VALUE,
  dnsLabel,
} from "./patterns";
import {
  CLUSTER_LOG_TYPES,
  CapacityType,
  MAX_STACK_TAGS,
  NatStrategy,
  RESERVED_NAMESPACES,
  RESERVED_TAG_KEYS,
} from "./sets";
import { FRONT_DOOR_DEFAULTS, frontDoorSchema } from "./front-door";
import { DEFAULT_NODE_POOLS, nodePoolSchema } from "./node-pools";
import { accessSchema, nodeGroupSchema, serviceSchema } from "./workloads";

export { LOG_RETENTION_DAYS, cidr } from "./fields";
export * from "./sets";
export { accessSchema, cpuCores, memoryMiB, nodeGroupSchema, serviceSchema } from "./workloads";
export { nodePoolSchema } from "./node-pools";

const serviceName = dnsLabel(40).refine(
  (name) => !(RESERVED_NAMESPACES as readonly string[]).includes(name) && !name.startsWith("kube-"),
  {
    error: `must not be a reserved namespace name (${RESERVED_NAMESPACES.join(", ")}, or any kube-*)`,
  },
);

const tagKey = text(
  TAG_KEY,
  "must be an AWS tag key (1-128 letters, digits, spaces and _.:/=+-@, not aws:)",
).refine((k) => !RESERVED_TAG_KEYS.includes(k) && !k.startsWith("kubernetes.io/"), {
  error: `must not be a tag the platform sets (${RESERVED_TAG_KEYS.join(", ")}, kubernetes.io/*)`,
});

/**
 * Every key of the project namespace, with its default. The scalar defaults here and in
 * `Pulumi.yaml` must agree (a test checks it); structured values exist only here and in the
 * stack files, because `Pulumi.yaml` has no object type.
 */
export const configSchema = z.strictObject({
  production: bool().default(false),
  eksCluster: bool().default(true),
  kubernetesWorkloads: bool().default(true),
  vpcCidr: vpcCidr().default("10.0.0.0/16"),
  // EKS needs its control plane subnets in at least two AZs.
  azCount: int(2, 6).default(2),
  publicSubnetPrefix: int(17, 28).default(24),
  privateSubnetPrefix: int(17, 28).default(19),
  natStrategy: oneOf([NatStrategy.Single, NatStrategy.PerAz, NatStrategy.Instance]).default(
    NatStrategy.Single,
  ),
  flowLogRetentionDays: retention().default(30),
  interfaceEndpoints: bool().default(false),
  ecrKmsKeyArn: optionalText(KMS_KEY_ARN, "must be empty or a KMS key ARN").default(""),
  ecrUntaggedExpiryDays: int(1, 365).default(7),
  ecrKeepTaggedImages: int(1, 1000).default(30),
  ecrForceDelete: bool().default(false),
  appImage: optionalText(IMAGE_BY_DIGEST, `${IMAGE_RULE}, or empty to build app/`).default(""),
  kubernetesVersion: z
    .enum(SUPPORTED_KUBERNETES_VERSIONS as [string, ...string[]], {
      error: `must be a supported Kubernetes version (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}); quote it in YAML so 1.30 is not read as 1.3`,
    })
    .default(DEFAULT_KUBERNETES_VERSION),
  upgradePolicy: oneOf([UpgradePolicy.Standard, UpgradePolicy.Extended]).default(
    UpgradePolicy.Standard,
  ),
  clusterLogTypes: list(oneOf(CLUSTER_LOG_TYPES), "log types")
    .superRefine(noRepeats("a log type"), onList)
    .default(["api", "audit", "authenticator"]),
  clusterLogRetentionDays: retention().default(90),
  endpointPublicAccess: bool().default(true),
  publicAccessCidrs: list(publicCidr(), "CIDR blocks")
    .superRefine(noOverlaps("publicAccessCidrs"), onList)
    .default([]),
  deletionProtection: bool().default(false),
  protectResources: bool().default(false),
  kmsDeletionWindowDays: int(7, 30).default(30),
  kubeconfigProfile: optionalText(
    /^[\w+.-]{1,64}$/,
    "must be empty or an AWS profile name",
  ).default(""),
  kubeconfigRoleArn: optionalText(ROLE_ARN, "must be empty or an IAM role ARN").default(""),
  clusterSource: oneOf([ClusterSource.Eks, ClusterSource.Kubeconfig]).default(ClusterSource.Eks),
  kubeconfigPath: optionalText(
    /^(\/|~\/)[^\p{Cc}]{0,4094}$/u,
    "must be empty or a kubeconfig file's absolute path (or ~/...)",
  ).default(""),
  kubeconfigContext: optionalText(
    /^[\x21-\x7e]{1,253}$/,
    "must be empty or a kubeconfig context name (printable, no spaces)",
  ).default(""),
  observability: bool().default(false),
  observabilityPersistence: bool().default(false),
  containerLogRetentionDays: retention().default(30),
  natTrafficGbPerMonth: int(0, 10_000_000).default(0),
  access: accessSchema.default({ admins: [], viewers: [], ciDeployRole: "", ciPreviewRole: "" }),
  nodeGroups: map(dnsLabel(24), nodeGroupSchema, "node group name to settings")
    .refine((groups) => Object.keys(groups).length > 0, {
      error: "must define at least one node group",
    })
    .default({
      general: {
        instanceTypes: ["t3.medium"],
        capacityType: CapacityType.OnDemand,
        minSize: 2,
        desiredSize: 2,
        maxSize: 3,
        diskSizeGiB: 50,
        maxUnavailablePercent: 33,
        labels: {},
        taints: [],
      },
    }),
  // Karpenter: the NodePools the services' nodes come from, the node image and the controller.
  nodePools: map(dnsLabel(40), nodePoolSchema, "NodePool name to settings")
    .refine((pools) => Object.keys(pools).length > 0, {
      error: "must define at least one NodePool",
    })
    .default(DEFAULT_NODE_POOLS),
  nodeAmiAlias: text(
    AMI_ALIAS,
    "must be an AL2023 AMI alias pinned to a release, such as al2023@v20260903 (never @latest)",
  ).default(DEFAULT_NODE_AMI_ALIAS),
  karpenterReplicas: int(1, 3).default(1),
  services: map(serviceName, serviceSchema, "service name to settings").default({
    app: serviceSchema.parse({}),
  }),
  frontDoor: frontDoorSchema.default({ ...FRONT_DOOR_DEFAULTS }),
  addonVersions: z
    .strictObject(
      Object.fromEntries(
        EKS_ADDONS.map((name) => [
          name,
          text(ADDON_VERSION, "must be an EKS addon version such as v1.19.0-eksbuild.1").optional(),
        ]),
      ) as Record<(typeof EKS_ADDONS)[number], z.ZodOptional<z.ZodString>>,
      { error: "must be a map of EKS addon name to version" },
    )
    .default({}),
  tags: map(
    tagKey,
    text(TAG_VALUE, "must be an AWS tag value (at most 256 letters, digits, spaces and _.:/=+-@)"),
    "tag key to value",
  )
    .refine((tags) => Object.keys(tags).length <= MAX_STACK_TAGS, {
      error: `must hold at most ${MAX_STACK_TAGS} tags`,
    })
    .default({}),
});

/** The config keys of the project namespace. */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];

/** The validated settings of the project namespace. */
export type ProjectSettings = z.output<typeof configSchema>;
/** One node group's validated settings. */
export type NodeGroupSettings = z.output<typeof nodeGroupSchema>;
/** One NodePool's validated settings. */
export type NodePoolSettings = z.output<typeof nodePoolSchema>;
/** One service's validated settings. */
export type ServiceSettings = z.output<typeof serviceSchema>;
