import { CAPACITY_PRICERS, capacityNotes } from "./capacity";
import type { CostedResource, Line, PricingContext, Pricer } from "./model";
import { FRONT_DOOR_PRICERS, frontDoorNotes } from "./pricers-front-door";

const field = (r: CostedResource, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (v, k) =>
        v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined,
      r.inputs,
    );
const num = (v: unknown, fallback: number) => (typeof v === "number" ? v : fallback);
const dependsOn = (from: CostedResource, to: CostedResource) =>
  from.options?.dependencies?.includes(to.urn) ?? false;

/** EKS's default node root volume when neither the node group nor its launch template sets one. */
export const DEFAULT_NODE_DISK_GIB = 20;

/** An EC2 instance-hour price; throws naming the known types, so nothing is priced at zero. */
export function instancePrice(type: string, ctx: PricingContext, where: string): number {
  const price = ctx.prices.ec2PerHour[type];
  if (price === undefined) {
    throw new Error(
      `no ${ctx.prices.region} price for instance type ${JSON.stringify(type)} (${where}); known: ${Object.keys(ctx.prices.ec2PerHour).join(", ")}. Add it to cost/prices.ts`,
    );
  }
  return price;
}

/** The launch template a node group uses: by id or name, or by dependency. */
function launchTemplateOf(ng: CostedResource, resources: readonly CostedResource[]) {
  const ref = field(ng, "launchTemplate") as { id?: unknown; name?: unknown } | undefined;
  if (!ref) return undefined;
  return resources.find(
    (r) =>
      r.type === "aws:ec2/launchTemplate:LaunchTemplate" &&
      (dependsOn(ng, r) ||
        [r.name, `${r.name}-id`, r.inputs.name].some((id) => id === ref.id || id === ref.name)),
  );
}

const nodeGroup: Pricer = (r, ctx) => {
  const lt = launchTemplateOf(r, ctx.resources);
  const types = field(r, "instanceTypes");
  const type =
    Array.isArray(types) && typeof types[0] === "string" ? types[0] : lt?.inputs.instanceType;
  if (typeof type !== "string") {
    throw new Error(
      `node group ${r.name} has no instance type in instanceTypes or its launch template`,
    );
  }
  const nodes = num(field(r, "scalingConfig.desiredSize"), 0);
  const spot = field(r, "capacityType") === "SPOT";
  const hourly =
    instancePrice(type, ctx, `node group ${r.name}`) * (spot ? 1 - ctx.spotDiscount : 1);
  const ebs =
    (lt
      ? (field(lt, "blockDeviceMappings") as { ebs?: Record<string, unknown> }[] | undefined)?.[0]
          ?.ebs
      : undefined) ?? {};
  const disk = num(field(r, "diskSize"), num(ebs.volumeSize, DEFAULT_NODE_DISK_GIB));
  const volumeType = ebs.volumeType === "gp2" ? "gp2" : "gp3";
  const others =
    Array.isArray(types) && types.length > 1 ? ` (priced as the first of ${types.join(", ")})` : "";
  return [
    {
      description: `${nodes} × ${type} ${spot ? `spot, ${Math.round(ctx.spotDiscount * 100)}% off on-demand` : "on-demand"}${others}`,
      unitPrice: hourly,
      quantity: nodes * ctx.hours,
      unit: "instance-hour",
    },
    {
      description: `${nodes} × ${disk} GiB ${volumeType} root volume`,
      unitPrice: ctx.prices.ebsPerGbMonth[volumeType],
      quantity: nodes * disk,
      unit: "GB-month",
    },
  ];
};

/** An Auto Scaling group (the NAT instance's): its launch template's type and root volume. */
const autoScalingGroup: Pricer = (r, ctx) => {
  const lt = ctx.resources.find(
    (t) => t.type === "aws:ec2/launchTemplate:LaunchTemplate" && dependsOn(r, t),
  );
  const type = lt?.inputs.instanceType;
  if (typeof type !== "string") {
    throw new Error(`auto scaling group ${r.name} has no launch template with an instance type`);
  }
  const count = num(field(r, "desiredCapacity"), num(field(r, "minSize"), 0));
  const ebs =
    (field(lt!, "blockDeviceMappings") as { ebs?: Record<string, unknown> }[] | undefined)?.[0]
      ?.ebs ?? {};
  const disk = num(ebs.volumeSize, DEFAULT_NODE_DISK_GIB);
  return [
    {
      description: `${count} × ${type} on-demand (auto scaling group)`,
      unitPrice: instancePrice(type, ctx, `auto scaling group ${r.name}`),
      quantity: count * ctx.hours,
      unit: "instance-hour",
    },
    {
      description: `${count} × ${disk} GiB gp3 root volume`,
      unitPrice: ctx.prices.ebsPerGbMonth.gp3,
      quantity: count * disk,
      unit: "GB-month",
    },
  ];
};

const cluster: Pricer = (r, ctx) => {
  const standard = field(r, "upgradePolicy.supportType") === "STANDARD";
  return [
    {
      description: standard
        ? "EKS control plane, standard support"
        : "EKS control plane, EXTENDED support policy priced at the extended rate (charged once the version leaves standard support)",
      unitPrice: standard ? ctx.prices.eks.standardPerHour : ctx.prices.eks.extendedPerHour,
      quantity: ctx.hours,
      unit: "hour",
    },
  ];
};

const natGateway: Pricer = (r, ctx) => {
  const gateways = ctx.resources.filter((g) => g.type === r.type).length;
  const gb = (ctx.assumptions.natTrafficGbPerMonth ?? 0) / gateways;
  const lines: Line[] = [
    {
      description: "NAT gateway",
      unitPrice: ctx.prices.natGateway.perHour,
      quantity: ctx.hours,
      unit: "hour",
    },
  ];
  if (gb > 0) {
    lines.push({
      description: `NAT data processing (natTrafficGbPerMonth split over ${gateways} gateway(s))`,
      unitPrice: ctx.prices.natGateway.perGb,
      quantity: gb,
      unit: "GB",
    });
  }
  return lines;
};

const eip: Pricer = (_r, ctx) => [
  {
    description: "public IPv4 address (Elastic IP)",
    unitPrice: ctx.prices.publicIpv4PerHour,
    quantity: ctx.hours,
    unit: "hour",
  },
];

const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";

const loadBalancerService: Pricer = (r, ctx) => {
  if (field(r, "spec.type") !== "LoadBalancer") return [];
  const annotations = (field(r, "metadata.annotations") ?? {}) as Record<string, unknown>;
  const internet = annotations[SCHEME] === "internet-facing";
  const publicSubnets = ctx.resources.filter(
    (s) =>
      s.type === "aws:ec2/subnet:Subnet" &&
      "kubernetes.io/role/elb" in ((field(s, "tags") ?? {}) as Record<string, unknown>),
  ).length;
  const azs = publicSubnets > 0 ? publicSubnets : (ctx.assumptions.azCount ?? 2);
  const lines: Line[] = [
    {
      description: `Network Load Balancer (${internet ? "internet-facing" : "internal"})`,
      unitPrice: ctx.prices.nlb.perHour,
      quantity: ctx.hours,
      unit: "hour",
    },
  ];
  if (internet) {
    lines.push({
      description: `${azs} public IPv4 addresses, one per AZ`,
      unitPrice: ctx.prices.publicIpv4PerHour,
      quantity: azs * ctx.hours,
      unit: "address-hour",
    });
  }
  if (ctx.assumptions.nlbLcuPerHour !== undefined) {
    lines.push({
      description: `${ctx.assumptions.nlbLcuPerHour} NLCU per hour (assumed)`,
      unitPrice: ctx.prices.nlb.perLcuHour,
      quantity: ctx.assumptions.nlbLcuPerHour * ctx.hours,
      unit: "NLCU-hour",
    });
  }
  return lines;
};

const vpcEndpoint: Pricer = (r, ctx) => {
  if (field(r, "vpcEndpointType") !== "Interface") return [];
  const subnets = field(r, "subnetIds");
  const azs = Array.isArray(subnets) ? subnets.length : 1;
  const serviceName = field(r, "serviceName");
  const service = (typeof serviceName === "string" ? serviceName : r.name)
    .split(".")
    .slice(3)
    .join(".");
  return [
    {
      description: `interface endpoint ${service} in ${azs} AZ(s)`,
      unitPrice: ctx.prices.interfaceEndpoint.perAzHour,
      quantity: azs * ctx.hours,
      unit: "endpoint-AZ-hour",
    },
  ];
};

const kmsKey: Pricer = (r, ctx) => [
  {
    description: `KMS key${field(r, "enableKeyRotation") === true ? " (first year; each of the first two rotations adds $1/month)" : ""}`,
    unitPrice: ctx.prices.kmsKeyPerMonth,
    quantity: 1,
    unit: "key-month",
  },
];

const logGroup: Pricer = (_r, ctx) => {
  const gb = ctx.assumptions.logIngestionGbPerGroup;
  return gb === undefined
    ? []
    : [
        {
          description: `${gb} GB ingested (assumed)`,
          unitPrice: ctx.prices.cloudwatchLogs.ingestionPerGb,
          quantity: gb,
          unit: "GB",
        },
      ];
};

const repository: Pricer = (_r, ctx) => {
  const gb = ctx.assumptions.ecrStorageGb;
  return gb === undefined
    ? []
    : [
        {
          description: `${gb} GB of images (assumed)`,
          unitPrice: ctx.prices.ecrStoragePerGbMonth,
          quantity: gb,
          unit: "GB-month",
        },
      ];
};

// Pulumi's marker for a secret value inside recorded inputs (Helm values holding a password).
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const unwrap = (v: unknown): unknown =>
  v !== null && typeof v === "object" && SECRET_SIG in v
    ? (v as unknown as { value: unknown }).value
    : v;

/** A Kubernetes storage quantity in GiB (`50Gi`, `512Mi`, `1Ti`); undefined otherwise. */
export function quantityGiB(q: unknown): number | undefined {
  const m = typeof q === "string" ? /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$/.exec(q) : null;
  if (!m) return undefined;
  return Number(m[1]) * { Mi: 1 / 1024, Gi: 1, Ti: 1024 }[m[2] as "Mi" | "Gi" | "Ti"];
}

/**
 * The persistent volumes a chart's values ask for, by the two Helm conventions: a claim
 * template's `resources.requests.storage`, and `persistence: {enabled: true, size}`.
 */
export function chartVolumesGiB(values: unknown): number[] {
  const found: number[] = [];
  const walk = (node: unknown, key: string): void => {
    const v = unwrap(node);
    if (v === null || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if (key === "requests" && quantityGiB(o.storage) !== undefined)
      found.push(quantityGiB(o.storage)!);
    if (key === "persistence" && o.enabled === true && quantityGiB(o.size) !== undefined) {
      found.push(quantityGiB(o.size)!);
    }
    for (const [k, child] of Object.entries(o)) walk(child, k);
  };
  walk(values, "");
  return found;
}

const helmRelease: Pricer = (r, ctx) => {
  const sizes = chartVolumesGiB(r.inputs.values);
  const total = sizes.reduce((a, b) => a + b, 0);
  return total === 0
    ? []
    : [
        {
          description: `${sizes.map((g) => `${g} GiB`).join(" + ")} gp3 volumes the chart requests (one per claim)`,
          unitPrice: ctx.prices.ebsPerGbMonth.gp3,
          quantity: total,
          unit: "GB-month",
        },
      ];
};

/** The resource types that cost money by the hour or month, and how each is priced. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:eks/cluster:Cluster": cluster,
  "aws:eks/nodeGroup:NodeGroup": nodeGroup,
  "aws:autoscaling/group:Group": autoScalingGroup,
  "aws:ec2/natGateway:NatGateway": natGateway,
  "aws:ec2/eip:Eip": eip,
  "kubernetes:core/v1:Service": loadBalancerService,
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  "aws:kms/key:Key": kmsKey,
  "aws:cloudwatch/logGroup:LogGroup": logGroup,
  "aws:ecr/repository:Repository": repository,
  "kubernetes:helm.sh/v3:Release": helmRelease,
  ...FRONT_DOOR_PRICERS,
  ...CAPACITY_PRICERS,
};

/** What an estimate leaves out, given its assumptions. */
export function notesFor(ctx: PricingContext): string[] {
  const a = ctx.assumptions;
  const count = (type: string) => ctx.resources.filter((r) => r.type === type).length;
  const notes = [
    `${ctx.hours} hours a month; on-demand list prices for ${ctx.prices.region} checked ${ctx.prices.checked}; no free tier, savings plan or reserved capacity.`,
    `Spot node groups at ${Math.round(ctx.spotDiscount * 100)}% off on-demand (an assumption; spot prices move).`,
  ];
  const nats = count("aws:ec2/natGateway:NatGateway");
  if ((a.natTrafficGbPerMonth ?? 0) === 0 && nats > 0) {
    notes.push("NAT data processing not included: set natTrafficGbPerMonth in the stack config.");
  } else if (nats > 0) {
    notes.push(
      `NAT data processing for ${a.natTrafficGbPerMonth} GB a month (config natTrafficGbPerMonth).`,
    );
  }
  if (a.logIngestionGbPerGroup === undefined && count("aws:cloudwatch/logGroup:LogGroup") > 0) {
    notes.push(
      `CloudWatch Logs ingestion ($${ctx.prices.cloudwatchLogs.ingestionPerGb.toFixed(2)}/GB) and storage not included for ${count("aws:cloudwatch/logGroup:LogGroup")} log group(s): the config gives no volume.`,
    );
  }
  const balancers = ctx.resources.filter(
    (r) => r.type === "kubernetes:core/v1:Service" && field(r, "spec.type") === "LoadBalancer",
  ).length;
  if (a.nlbLcuPerHour === undefined && balancers > 0) {
    notes.push("Load balancer capacity units (NLCUs, $0.006 each an hour) not included.");
  }
  if (a.ecrStorageGb === undefined && count("aws:ecr/repository:Repository") > 0) {
    notes.push(
      `ECR image storage ($${ctx.prices.ecrStoragePerGbMonth.toFixed(2)}/GB-month) not included: it depends on image sizes and the lifecycle policy.`,
    );
  }
  notes.push(...frontDoorNotes(ctx));
  notes.push(...capacityNotes(ctx));
  notes.push(
    "Helm chart volumes priced as gp3, one volume per claim (the charts' default single replica).",
    "Not included: data transfer out and across AZs, interface endpoint data, CloudWatch metrics, KMS requests.",
  );
  return notes;
}
