/** CPU architectures of EC2 instance types, as EKS AMI types name them. */
export const Architecture = { X86_64: "x86_64", Arm64: "arm64" } as const;
/** A CPU architecture. */
export type Architecture = (typeof Architecture)[keyof typeof Architecture];

/**
 * EC2 instance types a node group may use, with their size. Graviton types (a `g` after the
 * generation digit: t4g, m7g, c7gn) are arm64. The cost model prices every type listed here
 * (a test checks it), so a node group can never be estimated at zero.
 */
export const INSTANCE_TYPES: Record<string, { vcpu: number; memoryGiB: number }> = {
  "t3.medium": { vcpu: 2, memoryGiB: 4 },
  "t3.large": { vcpu: 2, memoryGiB: 8 },
  "t3.xlarge": { vcpu: 4, memoryGiB: 16 },
  "t3a.medium": { vcpu: 2, memoryGiB: 4 },
  "t3a.large": { vcpu: 2, memoryGiB: 8 },
  "t4g.medium": { vcpu: 2, memoryGiB: 4 },
  "t4g.large": { vcpu: 2, memoryGiB: 8 },
  "m5.large": { vcpu: 2, memoryGiB: 8 },
  "m6i.large": { vcpu: 2, memoryGiB: 8 },
  "m6i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "m6a.large": { vcpu: 2, memoryGiB: 8 },
  "m7i.large": { vcpu: 2, memoryGiB: 8 },
  "m7i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "m6g.large": { vcpu: 2, memoryGiB: 8 },
  "m7g.large": { vcpu: 2, memoryGiB: 8 },
  "m7g.xlarge": { vcpu: 4, memoryGiB: 16 },
  "c6i.large": { vcpu: 2, memoryGiB: 4 },
  "c7i.large": { vcpu: 2, memoryGiB: 4 },
  "c7g.large": { vcpu: 2, memoryGiB: 4 },
  "r6i.large": { vcpu: 2, memoryGiB: 16 },
  "r7g.large": { vcpu: 2, memoryGiB: 16 },
  // Larger sizes, so NodePools (which pick among types by category or family) can pack bigger pods.
  "t3a.xlarge": { vcpu: 4, memoryGiB: 16 },
  "m6i.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "m7i.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "m7g.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "c6i.xlarge": { vcpu: 4, memoryGiB: 8 },
  "c7i.xlarge": { vcpu: 4, memoryGiB: 8 },
  "c7g.xlarge": { vcpu: 4, memoryGiB: 8 },
  "r6i.xlarge": { vcpu: 4, memoryGiB: 32 },
};

/**
 * The most pods the VPC CNI lets each type run (ENI-limited, no prefix delegation): Karpenter
 * and the EKS AL2023 AMI use the same figure, and kube-reserved memory grows with it. Source:
 * awslabs/amazon-eks-ami `templates/shared/runtime/eni-max-pods.txt` (ENIs × (IPv4 per ENI − 1) + 2).
 */
export const ENI_MAX_PODS: Readonly<Record<string, number>> = {
  "t3.medium": 17,
  "t3.large": 35,
  "t3.xlarge": 58,
  "t3a.medium": 17,
  "t3a.large": 35,
  "t3a.xlarge": 58,
  "t4g.medium": 17,
  "t4g.large": 35,
  "m5.large": 29,
  "m6i.large": 29,
  "m6i.xlarge": 58,
  "m6i.2xlarge": 58,
  "m6a.large": 29,
  "m7i.large": 29,
  "m7i.xlarge": 58,
  "m7i.2xlarge": 58,
  "m6g.large": 29,
  "m7g.large": 29,
  "m7g.xlarge": 58,
  "m7g.2xlarge": 58,
  "c6i.large": 29,
  "c6i.xlarge": 58,
  "c7i.large": 29,
  "c7i.xlarge": 58,
  "c7g.large": 29,
  "c7g.xlarge": 58,
  "r6i.large": 29,
  "r6i.xlarge": 58,
  "r7g.large": 29,
};

/** The EC2 instance family of a type (`m7i` of `m7i.large`), as Karpenter labels it. */
export function familyOf(instanceType: string): string {
  return instanceType.split(".")[0] ?? "";
}

/** The EC2 instance category of a type (`m` of `m7i.large`), as Karpenter labels it. */
export function categoryOf(instanceType: string): string {
  return /^[a-z]+/.exec(familyOf(instanceType))?.[0] ?? "";
}

/** The architecture of an instance type, from its family name. */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0] ?? "";
  return /^[a-z]+\d+g[a-z]*$/.test(family) ? Architecture.Arm64 : Architecture.X86_64;
}
