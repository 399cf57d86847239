import type * as pulumi from "@pulumi/pulumi";
import type { Config } from "../../config/load";
import { CHARTS } from "../../lib/charts";
import { schemesNeeded } from "../../lib/front-door";
import { Protection } from "../../lib/protection";
import { generatedSecretNames } from "../../lib/service-secrets";
import type { EksCluster } from "../eks";
import { GeneratedSecret } from "../generated-secret";
import type { Vpc } from "../vpc";
import { FrontDoor } from "./front-door";
import { Karpenter } from "./karpenter";
import { LoadBalancerController } from "./load-balancer-controller";
import { Observability } from "./observability";
import { PreviewAccess } from "./preview-access";
import { SecretsDelivery } from "./secrets-delivery";

/** The cluster-wide add-ons of a stack, as {@link createPlatformAddons} made them. */
export interface PlatformAddons {
  /** What everything calling AWS from inside the cluster needs first: the nodes and the egress path. */
  readonly inCluster: pulumi.Resource[];
  readonly karpenter: Karpenter;
  readonly loadBalancerController: LoadBalancerController;
  readonly observability?: Observability;
  readonly secretsDelivery?: SecretsDelivery;
  /** The shared ALB, when a service is exposed over HTTP. */
  readonly frontDoor?: FrontDoor;
  /** The ARN of each secret the stack generates, by its config name. */
  readonly generatedArns: Readonly<Record<string, pulumi.Output<string>>>;
}

/**
 * The add-ons the services rely on, each only when the config asks for it: Karpenter (nodes
 * for the workload), the Load Balancer Controller, observability, secrets delivery and the
 * secrets the stack generates, the front door, and the CI preview role's reads. Everything that
 * calls AWS from inside the cluster depends on the nodes and the network's egress path, so a
 * destroy removes it while it can still clean up what it created.
 */
export function createPlatformAddons(
  config: Config,
  ctx: {
    readonly cluster: EksCluster;
    readonly network: Vpc;
    readonly prefix: string;
    readonly protection: Protection;
    readonly tags: Readonly<Record<string, string>>;
  },
): PlatformAddons {
  const { cluster, network, prefix, protection, tags } = ctx;
  const provider = cluster.provider;
  const inCluster = [...Object.values(cluster.nodeGroups), ...network.egress];

  // Nodes for the workload; the controller itself runs on the system node group.
  const karpenter = new Karpenter("karpenter", {
    clusterName: cluster.clusterName,
    region: config.region,
    nodeSecurityGroupId: cluster.clusterSecurityGroupId,
    provider,
    namePrefix: prefix,
    nodePools: config.nodePools,
    amiAlias: config.nodeAmiAlias,
    replicas: config.karpenterReplicas,
    requires: [...inCluster, cluster.addons.coredns, cluster.addons["eks-pod-identity-agent"]],
    tags,
  });
  const loadBalancerController = new LoadBalancerController("aws-load-balancer-controller", {
    clusterName: cluster.clusterName,
    vpcId: network.vpcId,
    region: config.region,
    provider,
    namePrefix: prefix,
    requires: inCluster,
    tags,
  });
  const observability = config.observability
    ? new Observability("observability", {
        clusterName: cluster.clusterName,
        region: config.region,
        provider,
        namePrefix: prefix,
        persistence: config.observabilityPersistence,
        storageClassName: cluster.storageClassName,
        containerLogRetentionDays: config.containerLogRetentionDays,
        protection,
        // Persistent volumes need the EBS CSI driver before Prometheus and Grafana start.
        requires: [...inCluster, ...karpenter.nodePools, cluster.addons["aws-ebs-csi-driver"]],
        tags,
      })
    : undefined;

  // Secrets from Secrets Manager: the driver only when a service reads one, and the secrets the
  // stack generates (a random value, kept encrypted in state and never printed).
  const settings = Object.values(config.services);
  const secretsDelivery = settings.some((svc) => Object.keys(svc.secrets).length > 0)
    ? new SecretsDelivery("secrets-delivery", { provider, requires: inCluster })
    : undefined;
  const generatedArns = Object.fromEntries(
    generatedSecretNames(settings).map((secret) => [
      secret,
      new GeneratedSecret(`${prefix}-${secret}`, {
        namePrefix: `${prefix}/${secret}-`,
        // A deleted secret waits as long as a deleted key: 7 days in dev, 30 in prod.
        recoveryWindowDays: config.kmsDeletionWindowDays,
        protection,
        tags,
      }).arn,
    ]),
  );

  // One ALB per scheme for every HTTP service: TLS and DNS with a domain, HTTP by path without.
  const fd = config.frontDoor;
  const schemes = schemesNeeded(settings);
  const frontDoor =
    schemes.length > 0
      ? new FrontDoor("front-door", {
          namePrefix: prefix,
          provider,
          schemes,
          domain: fd.domain,
          hostedZoneId: fd.hostedZoneId,
          deletionProtection: fd.deletionProtection,
          accessLogRetentionDays: fd.accessLogs ? fd.accessLogRetentionDays : undefined,
          waf: fd.waf,
          protection,
          requires: [loadBalancerController.release, ...inCluster],
          tags,
        })
      : undefined;

  // The CI preview role's reads for `pulumi preview --refresh`: Helm records and what the view
  // policy leaves out.
  new PreviewAccess("preview-access", {
    provider,
    releaseNamespaces: [
      ...new Set([
        CHARTS.awsLoadBalancerController.namespace,
        CHARTS.karpenter.namespace,
        ...(secretsDelivery ? [CHARTS.secretsStoreCsiDriver.namespace] : []),
        ...(observability
          ? [CHARTS.kubePrometheusStack.namespace, CHARTS.awsForFluentBit.namespace]
          : []),
      ]),
    ],
    requires: observability ? [observability] : [],
  });

  return {
    inCluster,
    karpenter,
    loadBalancerController,
    observability,
    secretsDelivery,
    frontDoor,
    generatedArns,
  };
}
