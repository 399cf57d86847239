import { Exposure, Protocol } from "../config/sets";
import { SubnetSpec, SubnetTier } from "./subnets";

// The pure plan of the front door: which services go through the shared ALB, under which host
// or path, and the ALB-level settings every Ingress of a group shares.

/**
 * The TLS policy of the HTTPS listener: TLS 1.3 and 1.2 only, forward-secret ciphers. AWS's
 * recommended policy for ALBs ("Security policies for your Application Load Balancer",
 * docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The ALB scheme of each exposure: one ALB per scheme, shared by the stack's HTTP services. */
export const ALB_SCHEME = {
  [Exposure.Internal]: "internal",
  [Exposure.Internet]: "internet-facing",
} as const;

/** An exposure with a load balancer. */
export type ExposedAs = keyof typeof ALB_SCHEME;

/** What the plan reads of a service's settings. */
export interface ExposureSettings {
  readonly expose: string;
  readonly protocol: string;
  readonly host?: string;
}

/** Whether the service is served through the shared ALB: exposed, speaking HTTP. */
export function usesAlb(s: ExposureSettings): boolean {
  return s.expose !== Exposure.None && s.protocol === Protocol.Http;
}

/** Whether the service gets an NLB of its own: exposed, speaking TCP. */
export function usesNlb(s: ExposureSettings): boolean {
  return s.expose !== Exposure.None && s.protocol === Protocol.Tcp;
}

/** The exposure of the service's own NLB: its `expose` when it speaks TCP, `none` otherwise. */
export function nlbExposure(s: { readonly expose: Exposure; readonly protocol: string }): Exposure {
  return usesNlb(s) ? s.expose : Exposure.None;
}

/**
 * The host a service answers on with a domain: its `host` setting, or `<name>.<domain>`.
 * Undefined without a domain (the service is then reached by path on the ALB's own hostname).
 */
export function serviceHost(name: string, s: ExposureSettings, domain: string): string | undefined {
  if (domain === "") return undefined;
  return s.host !== undefined && s.host !== "" ? s.host : `${name}.${domain}`;
}

/**
 * Whether the certificate for `domain` and `*.domain` covers a host: the domain itself, or one
 * label under it (a wildcard matches one label only, RFC 6125 6.4.3).
 */
export function hostCovered(host: string, domain: string): boolean {
  if (host === domain) return true;
  if (!host.endsWith(`.${domain}`)) return false;
  return !host.slice(0, -(domain.length + 1)).includes(".");
}

/** The path prefix a service is reached on without a domain: `/<name>`. */
export function servicePath(name: string): string {
  return `/${name}`;
}

/**
 * The IngressGroup (and IngressClass) name of a scheme: `<prefix>-<exposure>`. LBC group names
 * are lower-case alphanumerics, '-' and '.', at most 63 characters (LBC docs, Ingress
 * annotations, "group.name").
 */
export function ingressGroupName(prefix: string, expose: ExposedAs): string {
  return `${prefix}-${expose}`;
}

/** Whether a group name is one the controller accepts. */
export function validGroupName(name: string): boolean {
  return name.length <= 63 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name);
}

/** The schemes the stack's HTTP services need, in a stable order. */
export function schemesNeeded(services: readonly ExposureSettings[]): ExposedAs[] {
  const used = new Set(services.filter(usesAlb).map((s) => s.expose));
  return ([Exposure.Internet, Exposure.Internal] as ExposedAs[]).filter((e) => used.has(e));
}

/** Where the ALB writes its access logs. */
export interface AccessLogTarget {
  readonly bucket: string;
  readonly prefix: string;
}

/**
 * The ALB attributes (ELBv2 `ModifyLoadBalancerAttributes` keys): invalid header fields are
 * dropped (request smuggling), deletion protection and access logs as configured.
 */
export function loadBalancerAttributes(input: {
  readonly deletionProtection: boolean;
  readonly accessLogs?: AccessLogTarget;
}): { key: string; value: string }[] {
  const attrs = [
    { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
    { key: "deletion_protection.enabled", value: String(input.deletionProtection) },
    { key: "access_logs.s3.enabled", value: String(input.accessLogs !== undefined) },
  ];
  if (input.accessLogs) {
    attrs.push(
      { key: "access_logs.s3.bucket", value: input.accessLogs.bucket },
      { key: "access_logs.s3.prefix", value: input.accessLogs.prefix },
    );
  }
  return attrs;
}

/**
 * The CIDR blocks of the subnets an ALB of this exposure sits in (the LBC discovers public
 * subnets for internet-facing ALBs and private ones for internal ALBs by their role tags), which
 * the pods behind it admit. An internal ALB shares the private subnets with the nodes and pods,
 * so its rule also admits any pod of the VPC on the app port: no wider than what the internal
 * ALB itself offers them, but it bypasses the ALB's host and path rules. Dedicated subnets for
 * internal ALBs (IngressClassParams `subnets`) would close that; not done.
 */
export function albSubnetCidrs(plan: readonly SubnetSpec[], expose: ExposedAs): string[] {
  const tier = expose === Exposure.Internet ? SubnetTier.Public : SubnetTier.Private;
  return plan.filter((s) => s.tier === tier).map((s) => s.cidr);
}
