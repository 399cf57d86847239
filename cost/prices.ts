/**
 * AWS list prices the cost model uses, as data: one table per region, each with the date its
 * figures were checked and where. On-demand, Linux, USD, before any discount or free tier.
 * To add a region, copy a table, check every figure against the pages in `sources`, and add it
 * to {@link PRICES}; the tests check every table prices every instance type we allow.
 */

/** Where a figure was checked. */
export interface PriceSource {
  readonly item: string;
  readonly url: string;
  readonly note?: string;
}

/** The prices of one region. */
export interface RegionPriceTable {
  readonly region: string;
  readonly currency: "USD";
  /** The date every figure below was last checked, ISO 8601. */
  readonly checked: string;
  readonly eks: { readonly standardPerHour: number; readonly extendedPerHour: number };
  readonly natGateway: { readonly perHour: number; readonly perGb: number };
  /** Every public IPv4 address: a NAT gateway's EIP, each AZ of an internet-facing NLB. */
  readonly publicIpv4PerHour: number;
  /** EC2 on-demand Linux, per instance-hour. */
  readonly ec2PerHour: Readonly<Record<string, number>>;
  readonly ebsPerGbMonth: { readonly gp3: number; readonly gp2: number };
  readonly ecrStoragePerGbMonth: number;
  readonly nlb: { readonly perHour: number; readonly perLcuHour: number };
  readonly alb: { readonly perHour: number; readonly perLcuHour: number };
  /** A WAF web ACL a month, each rule or managed rule group a month, and per million requests. */
  readonly waf: {
    readonly webAclPerMonth: number;
    readonly rulePerMonth: number;
    readonly perMillionRequests: number;
  };
  readonly cloudwatchLogs: { readonly ingestionPerGb: number; readonly storagePerGbMonth: number };
  /** A customer managed key; each automatic rotation adds $1/month, for the first two. */
  readonly kmsKeyPerMonth: number;
  readonly interfaceEndpoint: { readonly perAzHour: number; readonly perGb: number };
  readonly sources: readonly PriceSource[];
}

/** The hours AWS's own calculator counts in a month (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * The spot discount assumed off on-demand. AWS advertises "up to 90%"; the EC2 Spot Instance
 * Advisor shows roughly 60-70% for the general-purpose t3/m6i families in us-east-1, which we
 * round to 65%. Spot prices move hourly: treat spot lines as an estimate, not a quote.
 */
export const SPOT_DISCOUNT = {
  value: 0.65,
  source:
    "https://aws.amazon.com/ec2/spot/instance-advisor/ (typical 60-70% for t3/m6i in us-east-1; AWS advertises up to 90%)",
} as const;

const US_EAST_1: RegionPriceTable = {
  region: "us-east-1",
  currency: "USD",
  checked: "2026-11-24",
  eks: { standardPerHour: 0.1, extendedPerHour: 0.6 },
  natGateway: { perHour: 0.045, perGb: 0.045 },
  publicIpv4PerHour: 0.005,
  ec2PerHour: {
    "t3.medium": 0.0416,
    "t3.large": 0.0832,
    "t3.xlarge": 0.1664,
    "t3a.medium": 0.0376,
    "t3a.large": 0.0752,
    "t4g.nano": 0.0042,
    "t4g.medium": 0.0336,
    "t4g.large": 0.0672,
    "m5.large": 0.096,
    "m6i.large": 0.096,
    "m6i.xlarge": 0.192,
    "m6a.large": 0.0864,
    "m7i.large": 0.1008,
    "m7i.xlarge": 0.2016,
    "m6g.large": 0.077,
    "m7g.large": 0.0816,
    "m7g.xlarge": 0.1632,
    "c6i.large": 0.085,
    "c7i.large": 0.08925,
    "c7g.large": 0.0725,
    "r6i.large": 0.126,
    "r7g.large": 0.1071,
    "t3a.xlarge": 0.1504,
    "m6i.2xlarge": 0.384,
    "m7i.2xlarge": 0.4032,
    "m7g.2xlarge": 0.3264,
    "c6i.xlarge": 0.17,
    "c7i.xlarge": 0.1785,
    "c7g.xlarge": 0.145,
    "r6i.xlarge": 0.252,
  },
  ebsPerGbMonth: { gp3: 0.08, gp2: 0.1 },
  ecrStoragePerGbMonth: 0.1,
  nlb: { perHour: 0.0225, perLcuHour: 0.006 },
  alb: { perHour: 0.0225, perLcuHour: 0.008 },
  waf: { webAclPerMonth: 5, rulePerMonth: 1, perMillionRequests: 0.6 },
  cloudwatchLogs: { ingestionPerGb: 0.5, storagePerGbMonth: 0.03 },
  kmsKeyPerMonth: 1,
  interfaceEndpoint: { perAzHour: 0.01, perGb: 0.01 },
  sources: [
    {
      item: "EKS control plane",
      url: "https://aws.amazon.com/eks/pricing/",
      note: "$0.10/cluster-hour standard support, $0.60 extended (AWS Containers blog, extended support pricing)",
    },
    {
      item: "NAT gateway, public IPv4",
      url: "https://aws.amazon.com/vpc/pricing/",
      note: "$0.045/hour + $0.045/GB processed; $0.005/hour per public IPv4 address since 2024-02-01",
    },
    {
      item: "EC2 on-demand",
      url: "https://aws.amazon.com/ec2/pricing/on-demand/",
      note: "Linux, shared tenancy; figures agree across several published us-east-1 tables",
    },
    {
      item: "EBS",
      url: "https://aws.amazon.com/ebs/pricing/",
      note: "gp3 $0.08/GB-month (3,000 IOPS and 125 MB/s included)",
    },
    {
      item: "ECR",
      url: "https://aws.amazon.com/ecr/pricing/",
      note: "$0.10/GB-month private storage",
    },
    {
      item: "Network Load Balancer",
      url: "https://aws.amazon.com/elasticloadbalancing/pricing/",
      note: "$0.0225/hour + $0.006/NLCU-hour",
    },
    {
      item: "Application Load Balancer",
      url: "https://aws.amazon.com/elasticloadbalancing/pricing/",
      note: "$0.0225/hour + $0.008/LCU-hour; an LCU is 25 new connections/s, 3,000 active connections/min, 1 GB/hour or 1,000 rule evaluations/s, whichever is highest",
    },
    {
      item: "AWS WAF",
      url: "https://aws.amazon.com/waf/pricing/",
      note: "$5/month per web ACL, $1/month per rule or managed rule group, $0.60 per million requests",
    },
    {
      item: "Route 53, ACM",
      url: "https://aws.amazon.com/route53/pricing/",
      note: "alias queries to an ELB load balancer are free; ACM public certificates are free (aws.amazon.com/certificate-manager/pricing/)",
    },
    {
      item: "CloudWatch Logs",
      url: "https://aws.amazon.com/cloudwatch/pricing/",
      note: "$0.50/GB ingested, $0.03/GB-month stored (standard class)",
    },
    {
      item: "KMS",
      url: "https://aws.amazon.com/kms/pricing/",
      note: "$1/month per key, prorated hourly; +$1/month per rotation, for the first two",
    },
    {
      item: "Interface endpoints",
      url: "https://aws.amazon.com/privatelink/pricing/",
      note: "$0.01/hour per AZ + $0.01/GB (first PB)",
    },
  ],
};

/** Price tables by region. */
export const PRICES: Readonly<Record<string, RegionPriceTable>> = { "us-east-1": US_EAST_1 };

/** The price table of a region; throws naming the regions that have one. */
export function pricesFor(region: string): RegionPriceTable {
  const table = PRICES[region];
  if (!table) {
    throw new Error(
      `no price table for region ${region}; known: ${Object.keys(PRICES).join(", ")}. Add one to cost/prices.ts`,
    );
  }
  return table;
}
