import { Enforcement, MANDATORY_IN_PRODUCTION, PolicySubject, Rule, Severity } from "./types";
import { field, objects, ofType, strings } from "./util";

// The shared ALB (issue 15): its listeners, from the Ingresses and their IngressClassParams,
// and its attributes, from the IngressClassParams (elbv2.k8s.aws/v1beta1, LBC v3.5). Settings
// given as Ingress annotations count too, so a hand-written Ingress is judged the same way.

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
const ALB = "alb.ingress.kubernetes.io";

/**
 * TLS policies that negotiate TLS 1.2 or 1.3 only: the TLS13 family and the TLS 1.2 policies
 * ("Security policies for your Application Load Balancer"). The LBC's default,
 * ELBSecurityPolicy-2016-08, still accepts TLS 1.0 and 1.1.
 */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

function annotations(r: PolicySubject): Record<string, unknown> {
  const a = field(r, "metadata.annotations");
  return a !== null && typeof a === "object" ? (a as Record<string, unknown>) : {};
}

/** The IngressClassParams of an Ingress's class (the class and its params share a name here). */
function paramsOf(
  r: PolicySubject,
  resources: readonly PolicySubject[],
): PolicySubject | undefined {
  const className = field(r, "spec.ingressClassName");
  return ofType(resources, PARAMS).find((p) => field(p, "metadata.name") === className);
}

function scheme(r: PolicySubject, params: PolicySubject | undefined): unknown {
  return params ? field(params, "spec.scheme") : annotations(r)[`${ALB}/scheme`];
}

function hasCertificate(r: PolicySubject, params: PolicySubject | undefined): boolean {
  const fromParams = params ? field(params, "spec.certificateArn") : undefined;
  return (
    (Array.isArray(fromParams) && fromParams.length > 0) ||
    typeof annotations(r)[`${ALB}/certificate-arn`] === "string"
  );
}

function listenPorts(r: PolicySubject): Record<string, unknown>[] {
  const raw = annotations(r)[`${ALB}/listen-ports`];
  if (typeof raw !== "string") return [];
  try {
    return objects(JSON.parse(raw));
  } catch {
    return [];
  }
}

const listens = (r: PolicySubject, protocol: string, port: number) =>
  listenPorts(r).some((p) => p[protocol] === port);

function attribute(params: PolicySubject, key: string): unknown {
  return objects(field(params, "spec.loadBalancerAttributes")).find((a) => a.key === key)?.value;
}

/** The shared ALB's rules. */
export const loadBalancingRules: readonly Rule[] = [
  {
    id: "alb-https-listener",
    description:
      "An internet-facing ALB serves HTTPS on 443 with a certificate (mandatory in production; dev without a domain serves HTTP on the ALB's hostname)",
    severity: Severity.High,
    enforcement: MANDATORY_IN_PRODUCTION,
    resourceTypes: [INGRESS],
    scope: "stack",
    check(r, { resources }) {
      const params = paramsOf(r, resources);
      if (scheme(r, params) !== "internet-facing") return undefined;
      if (!hasCertificate(r, params)) return "its internet-facing ALB has no certificate";
      return listens(r, "HTTPS", 443) ? undefined : "listen-ports has no HTTPS 443 listener";
    },
  },
  {
    id: "alb-http-redirects",
    description:
      "An ALB with an HTTPS listener redirects HTTP to it (ssl-redirect 443), so port 80 never serves content in clear text",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [INGRESS],
    scope: "stack",
    check(r) {
      if (!listens(r, "HTTPS", 443) || !listens(r, "HTTP", 80)) return undefined;
      const redirect = annotations(r)[`${ALB}/ssl-redirect`];
      return redirect === "443"
        ? undefined
        : `ssl-redirect is ${JSON.stringify(redirect)}, not "443"`;
    },
  },
  {
    id: "alb-tls-policy",
    description:
      "An ALB with a certificate negotiates TLS 1.2 or 1.3 only (a TLS13 or TLS-1-2 security policy), not the controller's default that still accepts TLS 1.0",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [PARAMS],
    scope: "resource",
    check(r) {
      if (strings(field(r, "spec.certificateArn")).length === 0) return undefined;
      const policy = field(r, "spec.sslPolicy");
      if (typeof policy !== "string" || policy === "") {
        return "sslPolicy is unset, so the controller's default ELBSecurityPolicy-2016-08 (TLS 1.0+) applies";
      }
      return MODERN_TLS_POLICY.test(policy)
        ? undefined
        : `sslPolicy ${policy} accepts TLS below 1.2`;
    },
  },
  {
    id: "alb-drops-invalid-headers",
    description:
      "The ALB drops HTTP header fields with invalid names (routing.http.drop_invalid_header_fields.enabled), closing a request-smuggling vector",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [PARAMS],
    scope: "resource",
    check(r) {
      const v = attribute(r, "routing.http.drop_invalid_header_fields.enabled");
      return v === "true"
        ? undefined
        : `routing.http.drop_invalid_header_fields.enabled is ${JSON.stringify(v)}`;
    },
  },
  {
    id: "alb-deletion-protection",
    description:
      "The ALB has deletion protection (mandatory in production), so a stray delete cannot take every service offline",
    severity: Severity.Medium,
    enforcement: MANDATORY_IN_PRODUCTION,
    resourceTypes: [PARAMS],
    scope: "resource",
    check(r) {
      const v = attribute(r, "deletion_protection.enabled");
      return v === "true" ? undefined : `deletion_protection.enabled is ${JSON.stringify(v)}`;
    },
  },
  {
    id: "alb-access-logs",
    description:
      "The ALB writes access logs to S3 (mandatory in production), the record of who called what",
    severity: Severity.Medium,
    enforcement: MANDATORY_IN_PRODUCTION,
    resourceTypes: [PARAMS],
    scope: "resource",
    check(r) {
      if (attribute(r, "access_logs.s3.enabled") !== "true")
        return "access_logs.s3.enabled is not true";
      const bucket = attribute(r, "access_logs.s3.bucket");
      return typeof bucket === "string" && bucket !== ""
        ? undefined
        : "access_logs.s3.bucket is unset";
    },
  },
];
