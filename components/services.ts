import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Config } from "../config/load";
import { ExposedAs, albSubnetCidrs, serviceHost, usesAlb } from "../lib/front-door";
import { serviceRoleName } from "../lib/naming";
import { callersOf } from "../lib/service-calls";
import { secretMounts } from "../lib/service-secrets";
import type { SubnetSpec } from "../lib/subnets";
import type { EksCluster } from "./eks";
import { FrontDoorRecords } from "./platform/front-door-dns";
import type { PlatformAddons } from "./platform/addons";
import { Service } from "./service";

/** What the services of a stack are deployed into. */
export interface ServicesContext {
  /** The Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** The image of a service that names none: the sample app's. */
  readonly image: pulumi.Input<string>;
  /** The EKS cluster and its add-ons; absent on a cluster the stack does not own. */
  readonly aws?: {
    readonly cluster: EksCluster;
    readonly addons: PlatformAddons;
    readonly subnetPlan: readonly SubnetSpec[];
    /** Tags for the services' AWS resources (IAM roles, Pod Identity associations). */
    readonly tags: Readonly<Record<string, string>>;
  };
}

/**
 * One {@link Service} per `services` entry, wired to each other (calls) and, on EKS, to the
 * add-ons they rely on, with the destroy order that keeps them: a service's load balancer and
 * Ingress go before the controller, its pods before the NodePools and the secrets driver. With
 * a domain, the Route 53 alias records of the hosts, deleted before the Ingresses. Returns the
 * services and their URLs by name.
 */
export function createServices(
  config: Config,
  ctx: ServicesContext,
): { services: Record<string, Service>; urls: Record<string, pulumi.Output<string>> } {
  const callers = callersOf(
    Object.fromEntries(Object.entries(config.services).map(([n, svc]) => [n, svc.calls])),
  );
  const a = ctx.aws?.addons;
  const fd = config.frontDoor;
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, settings]) => [
      name,
      new Service(name, {
        image: settings.image ?? ctx.image,
        settings,
        provider: ctx.provider,
        // On a cluster the stack does not own, its version is unknown: the cluster's own latest.
        podSecurityVersion: ctx.aws ? `v${config.kubernetesVersion}` : undefined,
        callees: settings.calls.map((callee) => ({
          name: callee,
          port: config.services[callee]!.port,
        })),
        callers: callers[name],
        ...(ctx.aws && a
          ? {
              awsRoleName: serviceRoleName(config, name),
              clusterName: ctx.aws.cluster.clusterName,
              // Destroy order: the Service (and its NLB) goes before the controller and the nodes.
              loadBalancerDependsOn: [a.loadBalancerController.release, ...a.inCluster],
              ingress:
                a.frontDoor && usesAlb(settings)
                  ? {
                      className: a.frontDoor.classNames[settings.expose as ExposedAs]!,
                      host: serviceHost(name, settings, fd.domain),
                      albSourceCidrs: albSubnetCidrs(
                        ctx.aws.subnetPlan,
                        settings.expose as ExposedAs,
                      ),
                      requires: a.frontDoor.ingressRequires,
                    }
                  : undefined,
              // Destroy order: the pods go before the NodePools whose nodes they run on.
              nodesDependOn: a.karpenter.nodePools,
              serviceMonitor: a.observability !== undefined,
              monitoringDependsOn: a.observability ? [a.observability.release] : [],
              secrets: secretMounts(settings.secrets, a.generatedArns),
              region: config.region,
              // Destroy order: the pods and their secret mounts go before the driver.
              secretsDependsOn: a.secretsDelivery?.releases ?? [],
              tags: ctx.aws.tags,
            }
          : {}),
      }),
    ]),
  );

  // Alias records for each host, deleted before the Ingress whose ALB they point at.
  if (ctx.aws && fd.domain !== "") {
    new FrontDoorRecords("front-door-dns", {
      hostedZoneId: fd.hostedZoneId,
      records: Object.values(services).flatMap((s) =>
        s.host && s.hostname ? [{ host: s.host, albHostname: s.hostname }] : [],
      ),
    });
  }

  const urls = Object.fromEntries(
    Object.entries(services).flatMap(([name, s]) => (s.url ? [[name, s.url]] : [])),
  );
  return { services, urls };
}
