import { baseTags } from "../lib/tags";

// The closed sets and reserved names of the config.

/** How private subnets reach the internet. */
export const NatStrategy = { Single: "single", PerAz: "perAz", Instance: "instance" } as const;
/**
 * `single`: one NAT gateway for all AZs (cheap); `perAz`: one per AZ (survives an AZ outage);
 * `instance`: one small self-healing NAT instance (cheapest, not highly available: dev only).
 */
export type NatStrategy = (typeof NatStrategy)[keyof typeof NatStrategy];

/** How a service is reachable. */
export const Exposure = { None: "none", Internal: "internal", Internet: "internet" } as const;
/** `none`: ClusterIP only; `internal`/`internet`: the shared ALB (HTTP) or an NLB (TCP) of that scheme. */
export type Exposure = (typeof Exposure)[keyof typeof Exposure];

/** What an exposed service speaks: HTTP behind the stack's shared ALB, or TCP behind its own NLB. */
export const Protocol = { Http: "http", Tcp: "tcp" } as const;
/** A service's protocol. */
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

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

/** Names of services, used as namespace names: the platform's own namespaces are reserved. */
export const RESERVED_NAMESPACES = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "monitoring",
  "host-agents",
] as const;

/** Tag keys the platform sets on every resource (lib/tags.ts): a stack's `tags` cannot override them. */
export const RESERVED_TAG_KEYS = [...Object.keys(baseTags({ project: "", stack: "" })), "Name"];

/** Tags a stack may add: AWS allows 50 a resource, and the platform sets up to 10 of its own. */
export const MAX_STACK_TAGS = 40;

/** Environment variables the platform sets on every service container (lib/workload.ts). */
export const RESERVED_ENV_NAMES = ["PORT"] as const;
