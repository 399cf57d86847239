import type { types } from "@pulumi/kubernetes";
import { servicePath } from "./front-door";
import { PRESTOP_SLEEP_SECONDS, PROBE_PATHS } from "./workload";

// The Ingress of one HTTP service on the shared ALB. Every ALB-level setting (group, scheme,
// TLS policy, certificate, attributes, WAF, tags) lives in the front door's IngressClassParams,
// so no Ingress can disagree with another: the LBC fails a group's reconciliation when an
// "Exclusive" annotation differs between its Ingresses (LBC docs v3.5, "Ingress annotations",
// MergeBehavior). What is here is per-target-group ("N/A" merge behaviour) or the same on every
// Ingress of the group (listen-ports merges; ssl-redirect is Exclusive, so always "443").

/** The annotation prefix of the AWS Load Balancer Controller. */
const ALB = "alb.ingress.kubernetes.io";

/** Listen ports with a certificate: HTTP 80 (redirected) and HTTPS 443. */
export const HTTPS_LISTEN_PORTS = '[{"HTTP": 80}, {"HTTPS": 443}]';
/** Listen ports without a certificate: HTTP 80 only. */
export const HTTP_LISTEN_PORTS = '[{"HTTP": 80}]';

/** What one service's Ingress depends on. */
export interface IngressInput {
  /** The service (and backend Service) name. */
  readonly name: string;
  /** The backend Service's port. */
  readonly port: number;
  /** The IngressClass of the service's scheme (the front door's). */
  readonly className: string;
  /** The host with a domain; undefined routes by path `/<name>` on the ALB's own hostname. */
  readonly host?: string;
}

/**
 * The annotations of a service's Ingress (LBC docs v3.5, "Ingress annotations"):
 * - `target-type: ip`: the ALB sends to pod IPs, no NodePort hop, readiness gates work.
 * - `healthcheck-path`: the pod's readiness path, so the ALB and the kubelet agree.
 * - `target-group-attributes`: deregistration delay matched to the preStop pause instead of 300 s.
 * - with a host: `listen-ports` 80 and 443 and `ssl-redirect: 443`, the HTTP listener's default
 *   action a redirect to HTTPS.
 * - without: HTTP 80, and a `transforms.<service>` URL rewrite stripping the `/<name>` prefix
 *   (LBC v2.14.1+, "URL rewrite" guide), so the app serves at `/` as it does with a domain.
 */
export function ingressAnnotations(input: IngressInput): Record<string, string> {
  const common = {
    [`${ALB}/target-type`]: "ip",
    [`${ALB}/healthcheck-path`]: PROBE_PATHS.readiness,
    [`${ALB}/target-group-attributes`]: `deregistration_delay.timeout_seconds=${PRESTOP_SLEEP_SECONDS}`,
  };
  if (input.host !== undefined) {
    return {
      ...common,
      [`${ALB}/listen-ports`]: HTTPS_LISTEN_PORTS,
      [`${ALB}/ssl-redirect`]: "443",
    };
  }
  const prefix = servicePath(input.name);
  return {
    ...common,
    [`${ALB}/listen-ports`]: HTTP_LISTEN_PORTS,
    [`${ALB}/transforms.${input.name}`]: JSON.stringify([
      {
        type: "url-rewrite",
        urlRewriteConfig: { rewrites: [{ regex: `^${prefix}/?(.*)$`, replace: "/$1" }] },
      },
    ]),
  };
}

/** The Ingress spec: one rule, by host with a domain, by path prefix without. */
export function ingressSpec(input: IngressInput) {
  const backend = { service: { name: input.name, port: { number: input.port } } };
  const path = input.host !== undefined ? "/" : servicePath(input.name);
  return {
    ingressClassName: input.className,
    rules: [
      {
        ...(input.host !== undefined ? { host: input.host } : {}),
        http: { paths: [{ path, pathType: "Prefix", backend }] },
      },
    ],
  } satisfies types.input.networking.v1.IngressSpec;
}

/** The URL a service answers on: `https://<host>/` with a domain, `http://<alb>/<name>/` without. */
export function serviceUrl(name: string, albHostname: string, host?: string): string {
  return host !== undefined ? `https://${host}/` : `http://${albHostname}${servicePath(name)}/`;
}
