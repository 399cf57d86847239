import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExposureSettings, usesAlb } from "../lib/front-door";
import { ingressAnnotations, ingressSpec, serviceUrl } from "../lib/ingress";
import { albAllowSpec } from "../lib/network-policy-alb";

/** How a service is put behind the shared ALB: from the front door and the network plan. */
export interface ServiceIngressArgs {
  /** The IngressClass of the service's scheme (`FrontDoor.classNames`). @default - none */
  readonly className: string;
  /** The host with a domain; undefined routes by `/<name>` on the ALB's hostname. @default - none */
  readonly host?: string;
  /** The CIDR blocks of the subnets the ALB sits in, which the pods admit. @default - none */
  readonly albSourceCidrs: readonly string[];
  /**
   * What the Ingress must outlive: the front door's classes (and through them the certificate,
   * log bucket and web ACL), besides the Service's `loadBalancerDependsOn`. @default []
   */
  readonly requires?: pulumi.Resource[];
}

/** The problem with a service's `ingress` argument, if any: an HTTP service needs one. */
export function ingressProblems(s: ExposureSettings, ingress?: ServiceIngressArgs): string[] {
  return usesAlb(s) && ingress === undefined
    ? [
        `ingress must name the front door's IngressClass when the service is exposed over HTTP (settings.protocol http, expose ${s.expose}); got undefined`,
      ]
    : [];
}

/** What {@link exposeThroughAlb} made. */
export interface AlbExposure {
  readonly ingress: k8s.networking.v1.Ingress;
  /** The shared ALB's DNS name, from the Ingress status. */
  readonly albHostname: pulumi.Output<string>;
  /** `https://<host>/` or `http://<alb>/<name>/`. */
  readonly url: pulumi.Output<string>;
}

/**
 * The Ingress of an HTTP service on the shared ALB, and the network policy admitting the ALB.
 * The Ingress depends on the backend Service, the controller, the nodes and the front door, so
 * a destroy deletes it first: the controller then removes its rules and target group (and the
 * ALB with its listeners once the group's last Ingress is gone) while it still runs.
 */
export function exposeThroughAlb(
  name: string,
  port: number,
  args: ServiceIngressArgs,
  meta: { name: string; namespace: pulumi.Input<string>; labels: Record<string, string> },
  opts: { parent: pulumi.Resource; provider: k8s.Provider; dependsOn: pulumi.Resource[] },
): AlbExposure {
  new k8s.networking.v1.NetworkPolicy(
    `${name}-allow-alb`,
    {
      metadata: { ...meta, name: `allow-${name}-alb` },
      spec: albAllowSpec({ name, port, sourceCidrs: args.albSourceCidrs }),
    },
    { parent: opts.parent, provider: opts.provider },
  );
  const input = { name, port, className: args.className, host: args.host };
  const ingress = new k8s.networking.v1.Ingress(
    `${name}-ingress`,
    {
      metadata: { ...meta, annotations: ingressAnnotations(input) },
      spec: ingressSpec(input),
    },
    {
      parent: opts.parent,
      provider: opts.provider,
      dependsOn: [...opts.dependsOn, ...(args.requires ?? [])],
    },
  );
  const albHostname = ingress.status.apply((st) => st?.loadBalancer?.ingress?.[0]?.hostname ?? "");
  return { ingress, albHostname, url: albHostname.apply((h) => serviceUrl(name, h, args.host)) };
}
