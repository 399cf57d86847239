import { z } from "zod";
import { int, list, map, noRepeats, onList, onObject, oneOf, text } from "./fields";
import { LABEL_KEY, LABEL_VALUE } from "./patterns";

// The Karpenter NodePools of the config: which instances the workload's nodes may be, how big
// the pool may grow, and how fast Karpenter may replace its nodes.

/** Karpenter's capacity types (`karpenter.sh/capacity-type`), as NodePool requirements name them. */
export const KarpenterCapacityType = { OnDemand: "on-demand", Spot: "spot" } as const;
/** A Karpenter capacity type. */
export type KarpenterCapacityType =
  (typeof KarpenterCapacityType)[keyof typeof KarpenterCapacityType];

/** CPU architectures as Kubernetes names them (`kubernetes.io/arch`). */
export const KubernetesArch = { Amd64: "amd64", Arm64: "arm64" } as const;
/** A Kubernetes node architecture. */
export type KubernetesArch = (typeof KubernetesArch)[keyof typeof KubernetesArch];

/** A Go duration as Karpenter's CRDs take them (`30s`, `5m`, `720h`, `1h30m`). */
export const DURATION = /^([1-9]\d{0,5}(h|m|s))+$/;
const duration = (rule: string) => text(DURATION, rule);

/**
 * Label domains the NodePool CRD refuses in a template (kubernetes-sigs/karpenter
 * `RestrictedLabelDomains` and the AWS provider's `karpenter.k8s.aws`), with the exceptions it
 * allows (`LabelDomainExceptions`).
 */
const RESTRICTED_LABEL_DOMAINS = ["kubernetes.io", "k8s.io", "karpenter.sh", "karpenter.k8s.aws"];
const LABEL_DOMAIN_EXCEPTIONS = [
  "node.kubernetes.io",
  "node-restriction.kubernetes.io",
  "kops.k8s.io",
];
const under = (domain: string, parent: string) =>
  domain === parent || domain.endsWith(`.${parent}`);

/** True when Karpenter lets a NodePool template set a label with this key. */
export function allowedPoolLabel(key: string): boolean {
  const domain = key.includes("/") ? key.split("/")[0]! : "";
  return (
    LABEL_DOMAIN_EXCEPTIONS.some((d) => under(domain, d)) ||
    !RESTRICTED_LABEL_DOMAINS.some((d) => under(domain, d))
  );
}

const nodeTaint = z.strictObject(
  {
    key: text(LABEL_KEY, "must be a Kubernetes label key"),
    value: z
      .string({ error: "must be a string" })
      .max(63, { error: "must be at most 63 characters" })
      .optional(),
    effect: oneOf(["NoSchedule", "NoExecute", "PreferNoSchedule"]),
  },
  { error: "must be a taint: an object with key, value and effect" },
);

const LIMITS = { cpuLimit: int(1, 100_000), memoryLimitGiB: int(1, 1_000_000) };

/**
 * One Karpenter NodePool. Instance choice is bounded three ways: categories or families (at
 * least one list), architectures, and the largest size (`maxInstanceVcpu`), so the pool never
 * launches a type the cost model cannot price. `cpuLimit` and `memoryLimitGiB` cap the pool's
 * total capacity: the budget guard.
 */
export const nodePoolSchema = z
  .strictObject(
    {
      capacityTypes: list(
        oneOf([KarpenterCapacityType.OnDemand, KarpenterCapacityType.Spot]),
        "capacity types",
      )
        .min(1, { error: "must list at least one capacity type" })
        .superRefine(noRepeats("a capacity type"), onList)
        .default([KarpenterCapacityType.OnDemand]),
      architectures: list(oneOf([KubernetesArch.Amd64, KubernetesArch.Arm64]), "architectures")
        .min(1, { error: "must list at least one architecture" })
        .superRefine(noRepeats("an architecture"), onList)
        .default([KubernetesArch.Amd64]),
      instanceCategories: list(
        text(/^[a-z]{1,4}$/, "must be an EC2 instance category such as c, m, r or t"),
        "instance categories",
      )
        .superRefine(noRepeats("a category"), onList)
        .default([]),
      instanceFamilies: list(
        text(/^[a-z]{1,4}\d[a-z0-9-]{0,8}$/, "must be an EC2 instance family such as m7i or c7g"),
        "instance families",
      )
        .superRefine(noRepeats("a family"), onList)
        .default([]),
      maxInstanceVcpu: int(2, 192).default(8),
      ...LIMITS,
      consolidateAfter: duration("must be a duration such as 30s, 5m or 1h").default("1m"),
      expireAfter: z
        .union([z.literal("Never"), duration("must be a duration such as 720h, or Never")], {
          error: "must be a duration such as 720h, or Never",
        })
        .default("720h"),
      disruptionBudgetPercent: int(1, 100).default(10),
      weight: int(0, 100).default(0),
      labels: map(
        text(LABEL_KEY, "must be a Kubernetes label key").refine(allowedPoolLabel, {
          error: `must not be in a domain Karpenter reserves (${RESTRICTED_LABEL_DOMAINS.join(", ")}; ${LABEL_DOMAIN_EXCEPTIONS.join(", ")} are allowed)`,
        }),
        text(LABEL_VALUE, "must be a Kubernetes label value"),
        "label name to value",
      ).default({}),
      taints: list(nodeTaint, "taints").default([]),
    },
    { error: "must be an object of NodePool settings" },
  )
  .superRefine((pool, ctx) => {
    const { instanceCategories, instanceFamilies } = pool as Record<string, unknown>;
    if (
      Array.isArray(instanceCategories) &&
      Array.isArray(instanceFamilies) &&
      instanceCategories.length === 0 &&
      instanceFamilies.length === 0
    ) {
      ctx.addIssue({
        code: "custom",
        message:
          "must list instanceCategories or instanceFamilies, or the pool may launch any type EC2 offers (GPU and metal included)",
      });
    }
  }, onObject);

/** The default NodePool: general-purpose x86 on-demand nodes, up to 8 vCPUs each. */
export const DEFAULT_NODE_POOLS = {
  general: {
    capacityTypes: [KarpenterCapacityType.OnDemand],
    architectures: [KubernetesArch.Amd64],
    instanceCategories: ["c", "m", "r"],
    instanceFamilies: [],
    maxInstanceVcpu: 8,
    cpuLimit: 64,
    memoryLimitGiB: 256,
    consolidateAfter: "1m",
    expireAfter: "720h",
    disruptionBudgetPercent: 10,
    weight: 0,
    labels: {},
    taints: [],
  },
};

/** One NodePool's validated settings. */
export type NodePoolSettings = z.output<typeof nodePoolSchema>;
