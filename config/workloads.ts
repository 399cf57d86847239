import { z } from "zod";
import { Architecture, INSTANCE_TYPES, architectureOf } from "../lib/instance-types";
import {
  bool,
  int,
  list,
  map,
  noRepeats,
  onList,
  onObject,
  oneOf,
  optionalText,
  text,
  valid,
} from "./fields";
import {
  DNS_NAME,
  DNS_NAME_RULE,
  IMAGE_BY_DIGEST,
  IMAGE_RULE,
  LABEL_KEY,
  LABEL_VALUE,
  POLICY_ARN,
  PRINCIPAL_ARN,
  QUANTITY_CPU,
  QUANTITY_MEMORY,
  ROLE_ARN,
  dnsLabel,
} from "./patterns";
import { ENV_NAME } from "../lib/service-secrets";
import { secretsSchema } from "./secrets";
import { CapacityType, Exposure, Protocol, RESERVED_ENV_NAMES } from "./sets";

// The structured values of the config: node groups, services and cluster access. Rules over
// several fields of one entry live here, so they run even when another entry fails.

/** CPU cores of a quantity the schema accepts: `250m` is 0.25, `1.5` is 1.5. */
export function cpuCores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** MiB of a memory quantity the schema accepts: `256Mi` is 256, `1Gi` is 1024. */
export function memoryMiB(quantity: string): number {
  return Number(quantity.slice(0, -2)) * (quantity.endsWith("Gi") ? 1024 : 1);
}

const instanceType = z
  .string({ error: "must be an EC2 instance type name" })
  .refine((v) => Object.hasOwn(INSTANCE_TYPES, v), {
    error: `must be a known instance type (${Object.keys(INSTANCE_TYPES).join(", ")}); add new ones to lib/instance-types.ts with a price`,
  });

const taint = z.strictObject(
  {
    key: text(LABEL_KEY, "must be a Kubernetes label key"),
    value: z
      .string({ error: "must be a string" })
      .max(63, { error: "must be at most 63 characters" })
      .optional(),
    effect: oneOf(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
  },
  { error: "must be a taint: an object with key, value and effect" },
);

const SIZE = { minSize: int(0, 450), desiredSize: int(0, 450), maxSize: int(1, 450) };

/** One managed node group. */
export const nodeGroupSchema = z
  .strictObject(
    {
      instanceTypes: list(instanceType, "instance types")
        .min(1, { error: "must list at least one instance type" })
        .superRefine(noRepeats("an instance type"), onList),
      capacityType: oneOf([CapacityType.OnDemand, CapacityType.Spot]).default(
        CapacityType.OnDemand,
      ),
      ...SIZE,
      diskSizeGiB: int(20, 16384).default(50),
      maxUnavailablePercent: int(1, 100).default(33),
      labels: map(
        text(LABEL_KEY, "must be a Kubernetes label key"),
        text(LABEL_VALUE, "must be a Kubernetes label value"),
        "label name to value",
      ).default({}),
      taints: list(taint, "taints").default([]),
    },
    { error: "must be an object of node group settings" },
  )
  .superRefine((group, ctx) => {
    const { minSize, desiredSize, maxSize, instanceTypes } = group as Record<string, unknown>;
    if (
      valid(SIZE.minSize, minSize) &&
      valid(SIZE.desiredSize, desiredSize) &&
      valid(SIZE.maxSize, maxSize) &&
      !(
        (minSize as number) <= (desiredSize as number) &&
        (desiredSize as number) <= (maxSize as number)
      )
    ) {
      ctx.addIssue({
        code: "custom",
        message: "must have minSize <= desiredSize <= maxSize",
        params: { value: { minSize, desiredSize, maxSize } },
      });
    }
    if (Array.isArray(instanceTypes) && instanceTypes.every((t) => valid(instanceType, t))) {
      const arches = new Set<Architecture>(instanceTypes.map((t: string) => architectureOf(t)));
      if (arches.size > 1) {
        ctx.addIssue({
          code: "custom",
          path: ["instanceTypes"],
          message:
            "must all have one CPU architecture (Graviton types such as t4g or m7g are arm64; put them in their own group)",
        });
      }
    }
  }, onObject);

const REPLICAS = int(1, 100);

/** One service deployed on the cluster. */
export const serviceSchema = z
  .strictObject(
    {
      image: text(IMAGE_BY_DIGEST, IMAGE_RULE).optional(),
      port: int(1024, 65535).default(8080),
      minReplicas: REPLICAS.default(1),
      maxReplicas: REPLICAS.default(3),
      cpu: text(QUANTITY_CPU, "must be a CPU quantity such as 250m or 1")
        .refine((q) => cpuCores(q) > 0, { error: "must be more than zero" })
        .default("100m"),
      memory: text(QUANTITY_MEMORY, "must be a memory quantity such as 256Mi or 1Gi").default(
        "128Mi",
      ),
      expose: oneOf([Exposure.None, Exposure.Internal, Exposure.Internet]).default(Exposure.None),
      // HTTP services share the stack's ALB; TCP keeps an NLB of its own (config/front-door.ts).
      protocol: oneOf([Protocol.Http, Protocol.Tcp]).default(Protocol.Http),
      host: optionalText(DNS_NAME, `must be empty or ${DNS_NAME_RULE}`).default(""),
      metrics: bool().default(true),
      kubernetesApi: bool().default(false),
      awsPolicyArns: list(text(POLICY_ARN, "must be an IAM policy ARN"), "IAM policy ARNs")
        // IAM's default quota of managed policies attached to one role.
        .max(10, { error: "must list at most 10 policies" })
        .superRefine(noRepeats("a policy"), onList)
        .default([]),
      env: map(
        text(ENV_NAME, "must be an environment variable name").refine(
          (name) => !(RESERVED_ENV_NAMES as readonly string[]).includes(name),
          { error: "must not be PORT: the platform sets it from the service's port" },
        ),
        z.string({ error: "must be a string" }),
        "environment variable name to value",
      ).default({}),
      targetCpuPercent: int(10, 100).default(70),
      // Services this one calls; config/links.ts checks that each is a service of the stack.
      calls: list(dnsLabel(40), "service names")
        .superRefine(noRepeats("a service"), onList)
        .default([]),
      secrets: secretsSchema.default({}),
    },
    { error: "must be an object of service settings" },
  )
  .superRefine((svc, ctx) => {
    const { minReplicas, maxReplicas } = svc as Record<string, unknown>;
    if (
      valid(REPLICAS, minReplicas) &&
      valid(REPLICAS, maxReplicas) &&
      (minReplicas as number) > (maxReplicas as number)
    ) {
      ctx.addIssue({
        code: "custom",
        message: "must have minReplicas <= maxReplicas",
        params: { value: { minReplicas, maxReplicas } },
      });
    }
  }, onObject);

const principals = () =>
  list(text(PRINCIPAL_ARN, "must be an IAM role or user ARN"), "IAM role or user ARNs")
    .superRefine(noRepeats("a principal"), onList)
    .default([]);

const ciRole = () =>
  optionalText(
    ROLE_ARN,
    "must be empty or an IAM role ARN (the bootstrap project's outputs)",
  ).default("");

/**
 * Who may use the cluster: IAM role or user ARNs. The CI roles are named on their own: the
 * deploy role is a cluster admin, the preview role a viewer that may also read Helm's release
 * records, which a refresh of every release needs.
 */
export const accessSchema = z
  .strictObject(
    {
      admins: principals(),
      viewers: principals(),
      ciDeployRole: ciRole(),
      ciPreviewRole: ciRole(),
    },
    {
      error:
        "must be an object with admins and viewers lists and the ciDeployRole and ciPreviewRole ARNs",
    },
  )
  .superRefine((access, ctx) => {
    const { admins, viewers, ciDeployRole, ciPreviewRole } = access as Record<string, unknown>;
    if (!Array.isArray(admins) || !Array.isArray(viewers)) return;
    viewers.forEach((viewer, i) => {
      if (typeof viewer === "string" && admins.includes(viewer)) {
        ctx.addIssue({
          code: "custom",
          path: ["viewers", i],
          message: "must not repeat a principal that is already an admin",
        });
      }
    });
    const listed = [...admins, ...viewers] as unknown[];
    for (const [key, role] of Object.entries({ ciDeployRole, ciPreviewRole })) {
      if (typeof role === "string" && role !== "" && listed.includes(role)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "must not also be listed in admins or viewers (it gets its own access entry)",
        });
      }
    }
    if (typeof ciDeployRole === "string" && ciDeployRole !== "" && ciDeployRole === ciPreviewRole) {
      ctx.addIssue({
        code: "custom",
        path: ["ciPreviewRole"],
        message: "must differ from ciDeployRole (previews run read-only)",
      });
    }
  }, onObject);
