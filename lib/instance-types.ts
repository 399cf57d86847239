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
};

/** The architecture of an instance type, from its family name. */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0] ?? "";
  return /^[a-z]+\d+g[a-z]*$/.test(family) ? Architecture.Arm64 : Architecture.X86_64;
}
