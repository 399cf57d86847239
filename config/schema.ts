import { z } from "zod";
import { parseCidr } from "../lib/cidr";
import { INSTANCE_TYPES } from "../lib/instance-types";
import {
  DEFAULT_KUBERNETES_VERSION,
  EKS_ADDONS,
  SUPPORTED_KUBERNETES_VERSIONS,
  UpgradePolicy,
} from "../lib/versions";

/** How private subnets reach the internet. */
export const NatStrategy = { Single: "single", PerAz: "perAz" } as const;
/** `single`: one NAT gateway for all AZs (cheap); `perAz`: one per AZ (survives an AZ outage). */
export type NatStrategy = (typeof NatStrategy)[keyof typeof NatStrategy];

/** How a service is reachable. */
export const Exposure = { None: "none", Internal: "internal", Internet: "internet" } as const;
/** `none`: ClusterIP only; `internal`/`internet`: an NLB through the AWS Load Balancer Controller. */
export type Exposure = (typeof Exposure)[keyof typeof Exposure];

/** EC2 purchase options of a managed node group. */
export const CapacityType = { OnDemand: "ON_DEMAND", Spot: "SPOT" } as const;
/** A node group capacity type. */
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];

/** EKS control-plane log types. */
export const CLUSTER_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const int = (min: number, max: number) => {
  const rule = { error: `must be an integer from ${min} to ${max}` };
  return z.int(rule).min(min, rule).max(max, rule);
};
const bool = () => z.boolean({ error: "must be true or false" });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(", ")}` });
const text = (pattern: RegExp, rule: string) =>
  z.string({ error: rule }).regex(pattern, { error: rule });
const optionalText = (pattern: RegExp, rule: string) =>
  z.string({ error: rule }).refine((v) => v === "" || pattern.test(v), { error: rule });

const retention = () =>
  z
    .int({ error: "must be a CloudWatch Logs retention in days" })
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
      error: `must be one of the CloudWatch Logs retention periods (${LOG_RETENTION_DAYS.join(", ")})`,
    });

/** An IPv4 CIDR block with no host bits set. */
export const cidr = () =>
  z.string({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16" }).superRefine((v, ctx) => {
    const parsed = parseCidr(v);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  });

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (max: number) =>
  text(DNS_LABEL, "must be lower-case letters, digits and '-', starting with a letter").max(max, {
    error: `must be at most ${max} characters`,
  });

const IMAGE_BY_DIGEST =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+@sha256:[a-f0-9]{64}$/;
const IMAGE_RULE = "must be an image reference by digest: <registry>/<repository>@sha256:<64 hex>";
const ARN_PARTITION = "arn:aws(-cn|-us-gov)?";
const PRINCIPAL_ARN = new RegExp(
  `^${ARN_PARTITION}:(iam|sts)::\\d{12}:(role|user|assumed-role)/[\\w+=,.@/-]{1,512}$`,
);
const ROLE_ARN = new RegExp(`^${ARN_PARTITION}:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$`);
const POLICY_ARN = new RegExp(`^${ARN_PARTITION}:iam::(aws|\\d{12}):policy/[\\w+=,.@/-]{1,512}$`);
const KMS_KEY_ARN = new RegExp(`^${ARN_PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/[a-f0-9-]{36}$`);
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const QUANTITY_CPU = /^([1-9]\d{0,4}m|\d{1,3}(\.\d{1,3})?)$/;
const QUANTITY_MEMORY = /^[1-9]\d{0,5}(Mi|Gi)$/;

const instanceType = z
  .string({ error: "must be an EC2 instance type name" })
  .refine((v) => v in INSTANCE_TYPES, {
    error: `must be a known instance type (${Object.keys(INSTANCE_TYPES).join(", ")}); add new ones to lib/instance-types.ts with a price`,
  });

const taint = z.strictObject({
  key: text(/^[A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?$/, "must be a Kubernetes label key"),
  value: z
    .string({ error: "must be a string" })
    .max(63, { error: "must be at most 63 characters" })
    .optional(),
  effect: oneOf(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
});

/** One managed node group. */
export const nodeGroupSchema = z.strictObject({
  instanceTypes: z.array(instanceType, { error: "must be a list of instance types" }).min(1, {
    error: "must list at least one instance type",
  }),
  capacityType: oneOf([CapacityType.OnDemand, CapacityType.Spot]).default(CapacityType.OnDemand),
  minSize: int(0, 450),
  desiredSize: int(0, 450),
  maxSize: int(1, 450),
  diskSizeGiB: int(20, 16384).default(50),
  maxUnavailablePercent: int(1, 100).default(33),
  labels: z
    .record(
      text(/^[A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?$/, "must be a Kubernetes label key"),
      text(
        /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/,
        "must be a Kubernetes label value",
      ),
    )
    .default({}),
  taints: z.array(taint).default([]),
});

/** One service deployed on the cluster. */
export const serviceSchema = z.strictObject({
  image: text(IMAGE_BY_DIGEST, IMAGE_RULE).optional(),
  port: int(1024, 65535).default(8080),
  minReplicas: int(1, 100).default(1),
  maxReplicas: int(1, 100).default(3),
  cpu: text(QUANTITY_CPU, "must be a CPU quantity such as 250m or 1").default("100m"),
  memory: text(QUANTITY_MEMORY, "must be a memory quantity such as 256Mi or 1Gi").default("128Mi"),
  expose: oneOf([Exposure.None, Exposure.Internal, Exposure.Internet]).default(Exposure.None),
  metrics: bool().default(true),
  kubernetesApi: bool().default(false),
  awsPolicyArns: z.array(text(POLICY_ARN, "must be an IAM policy ARN")).default([]),
  env: z
    .record(
      text(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"),
      z.string({ error: "must be a string" }),
    )
    .default({}),
  targetCpuPercent: int(10, 100).default(70),
});

/** Who may use the cluster: IAM role or user ARNs. */
export const accessSchema = z.strictObject({
  admins: z.array(text(PRINCIPAL_ARN, "must be an IAM role or user ARN")).default([]),
  viewers: z.array(text(PRINCIPAL_ARN, "must be an IAM role or user ARN")).default([]),
});

/** Names of services, used as namespace names: the platform's own namespaces are reserved. */
export const RESERVED_NAMESPACES = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "monitoring",
  "amazon-cloudwatch",
] as const;

/**
 * Every key of the project namespace, with its default. The scalar defaults here and in
 * `Pulumi.yaml` must agree (a test checks it); structured values exist only here and in the
 * stack files, because `Pulumi.yaml` has no object type.
 */
export const configSchema = z.strictObject({
  production: bool().default(false),
  vpcCidr: cidr().default("10.0.0.0/16"),
  azCount: int(1, 6).default(2),
  publicSubnetPrefix: int(17, 28).default(24),
  privateSubnetPrefix: int(17, 28).default(19),
  natStrategy: oneOf([NatStrategy.Single, NatStrategy.PerAz]).default(NatStrategy.Single),
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
  clusterLogTypes: z
    .array(oneOf(CLUSTER_LOG_TYPES), { error: "must be a list of log types" })
    .default(["api", "audit", "authenticator"]),
  clusterLogRetentionDays: retention().default(90),
  endpointPublicAccess: bool().default(true),
  publicAccessCidrs: z.array(cidr(), { error: "must be a list of CIDR blocks" }).default([]),
  deletionProtection: bool().default(false),
  protectResources: bool().default(false),
  kmsDeletionWindowDays: int(7, 30).default(30),
  kubeconfigProfile: optionalText(
    /^[\w+.-]{1,64}$/,
    "must be empty or an AWS profile name",
  ).default(""),
  kubeconfigRoleArn: optionalText(ROLE_ARN, "must be empty or an IAM role ARN").default(""),
  observability: bool().default(false),
  observabilityPersistence: bool().default(false),
  containerLogRetentionDays: retention().default(30),
  natTrafficGbPerMonth: int(0, 10_000_000).default(0),
  access: accessSchema.default({ admins: [], viewers: [] }),
  nodeGroups: z
    .record(dnsLabel(24), nodeGroupSchema, {
      error: "must be a map of node group name to settings",
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
  services: z
    .record(dnsLabel(40), serviceSchema, { error: "must be a map of service name to settings" })
    .default({ app: serviceSchema.parse({}) }),
  addonVersions: z
    .strictObject(
      Object.fromEntries(
        EKS_ADDONS.map((name) => [
          name,
          text(ADDON_VERSION, "must be an EKS addon version such as v1.19.0-eksbuild.1").optional(),
        ]),
      ) as Record<(typeof EKS_ADDONS)[number], z.ZodOptional<z.ZodString>>,
    )
    .default({}),
  tags: z
    .record(
      text(
        /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
        "must be an AWS tag key (1-128 characters, not aws:)",
      ),
      z.string({ error: "must be a string" }).max(256, { error: "must be at most 256 characters" }),
    )
    .default({}),
});

/** The config keys of the project namespace. */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];

/** The validated settings of the project namespace. */
export type ProjectSettings = z.output<typeof configSchema>;
/** One node group's validated settings. */
export type NodeGroupSettings = z.output<typeof nodeGroupSchema>;
/** One service's validated settings. */
export type ServiceSettings = z.output<typeof serviceSchema>;
