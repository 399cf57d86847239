import { AppImage } from "./components/app-image";
import { EcrRepository } from "./components/ecr";
import { EksCluster, deployingRole } from "./components/eks";
import { GeneratedSecret } from "./components/generated-secret";
import {
  FrontDoor,
  FrontDoorRecords,
  Karpenter,
  LoadBalancerController,
  Observability,
  PreviewAccess,
  SecretsDelivery,
} from "./components/platform";
import { Service } from "./components/service";
import { Vpc } from "./components/vpc";
import { stackZones } from "./components/zones";
import { loadConfig } from "./config/load";
import { refusePlaceholders } from "./config/placeholders";
import { CHARTS } from "./lib/charts";
import { ExposedAs, albSubnetCidrs, schemesNeeded, serviceHost, usesAlb } from "./lib/front-door";
import { Architecture } from "./lib/instance-types";
import { clusterName, namePrefix, repositoryName, serviceRoleName } from "./lib/naming";
import { callersOf } from "./lib/service-calls";
import { generatedSecretNames, secretMounts } from "./lib/service-secrets";
import { baseTags } from "./lib/tags";

/**
 * The platform, composed per stack: config is validated first, so a bad value fails before
 * any resource is registered; every environment difference comes from the stack's config.
 */
export = async () => {
  const config = loadConfig();
  // A preview warns about placeholder values; a real update refuses them, before any resource.
  refusePlaceholders(config);
  const zones = await stackZones(config);
  // Who becomes cluster admin when none is configured; refuses a read-only caller up front.
  const deployerArn = config.eksCluster ? await deployingRole(config) : undefined;
  const tags = baseTags({ project: config.project, stack: config.stack, extra: config.tags });
  const protection = { protect: config.protectResources };
  const prefix = namePrefix(config);

  const network = new Vpc(prefix, {
    cidrBlock: config.vpcCidr,
    availabilityZones: zones,
    publicSubnetPrefix: config.publicSubnetPrefix,
    privateSubnetPrefix: config.privateSubnetPrefix,
    natStrategy: config.natStrategy,
    flowLogRetentionDays: config.flowLogRetentionDays,
    interfaceEndpoints: config.interfaceEndpoints,
    clusterName: clusterName(config),
    protection,
    tags,
  });

  const repository = new EcrRepository(`${prefix}-app`, {
    repositoryName: repositoryName(config, "app"),
    kmsKeyArn: config.ecrKmsKeyArn,
    untaggedExpiryDays: config.ecrUntaggedExpiryDays,
    keepTaggedImages: config.ecrKeepTaggedImages,
    forceDelete: config.ecrForceDelete,
    protection,
    tags,
  });
  // The sample image is built for the architecture of the first NodePool, where services run.
  const firstPool = Object.values(config.nodePools)[0];
  const image = new AppImage(`${prefix}-app`, {
    imageRef: config.appImage,
    repositoryUrl: repository.repositoryUrl,
    architecture:
      firstPool?.architectures[0] === "arm64" ? Architecture.Arm64 : Architecture.X86_64,
  });

  const networkOutputs = {
    region: config.region,
    availabilityZones: zones,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    ecrRepositoryUrl: repository.repositoryUrl,
    appImage: image.imageRef,
  };
  // Layer switches exist for the e2e emulator stack only; production requires both on.
  if (!config.eksCluster) return networkOutputs;

  const cluster = new EksCluster(clusterName(config), {
    deployerArn,
    egress: network.egress,
    clusterName: clusterName(config),
    version: config.kubernetesVersion,
    upgradePolicy: config.upgradePolicy,
    logTypes: config.clusterLogTypes,
    logRetentionDays: config.clusterLogRetentionDays,
    subnetIds: network.privateSubnetIds,
    endpointPublicAccess: config.endpointPublicAccess,
    publicAccessCidrs: config.publicAccessCidrs,
    allowWorldOpenEndpoint: !config.production,
    deletionProtection: config.deletionProtection,
    protection,
    kmsDeletionWindowDays: config.kmsDeletionWindowDays,
    admins: config.access.admins,
    viewers: config.access.viewers,
    ciDeployRole: config.access.ciDeployRole,
    ciPreviewRole: config.access.ciPreviewRole,
    nodeGroups: config.nodeGroups,
    addonVersions: config.addonVersions,
    kubeconfigProfile: config.kubeconfigProfile,
    kubeconfigRoleArn: config.kubeconfigRoleArn,
    region: config.region,
    tags,
  });
  const nodeGroups = Object.values(cluster.nodeGroups);
  // Everything that calls AWS from inside the cluster comes after the nodes and the egress
  // path, and goes before them on destroy, while it can still clean up what it created.
  const inCluster = [...nodeGroups, ...network.egress];
  const clusterOutputs = {
    ...networkOutputs,
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    updateKubeconfigCommand: cluster.updateKubeconfigCommand,
    adminAccessNote: cluster.adminAccessNote,
  };
  if (!config.kubernetesWorkloads) return clusterOutputs;

  // Nodes for the workload; the controller itself runs on the system node group.
  const karpenter = new Karpenter("karpenter", {
    clusterName: cluster.clusterName,
    region: config.region,
    nodeSecurityGroupId: cluster.clusterSecurityGroupId,
    provider: cluster.provider,
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
    provider: cluster.provider,
    namePrefix: prefix,
    requires: inCluster,
    tags,
  });
  const observability = config.observability
    ? new Observability("observability", {
        clusterName: cluster.clusterName,
        region: config.region,
        provider: cluster.provider,
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
  const serviceSettings = Object.values(config.services);
  const secretsDelivery = serviceSettings.some((svc) => Object.keys(svc.secrets).length > 0)
    ? new SecretsDelivery("secrets-delivery", { provider: cluster.provider, requires: inCluster })
    : undefined;
  const generatedArns = Object.fromEntries(
    generatedSecretNames(serviceSettings).map((secret) => [
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
  const callers = callersOf(
    Object.fromEntries(Object.entries(config.services).map(([n, svc]) => [n, svc.calls])),
  );

  // One ALB per scheme for every HTTP service: TLS and DNS with a domain, HTTP by path without.
  const fd = config.frontDoor;
  const schemes = schemesNeeded(Object.values(config.services));
  const frontDoor =
    schemes.length > 0
      ? new FrontDoor("front-door", {
          namePrefix: prefix,
          provider: cluster.provider,
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

  const services = Object.entries(config.services).map(
    ([name, settings]) =>
      new Service(name, {
        image: settings.image ?? image.imageRef,
        settings,
        awsRoleName: serviceRoleName(config, name),
        clusterName: cluster.clusterName,
        provider: cluster.provider,
        // Destroy order: the Service (and its NLB) goes before the controller and the nodes.
        loadBalancerDependsOn: [loadBalancerController.release, ...inCluster],
        ingress:
          frontDoor && usesAlb(settings)
            ? {
                className: frontDoor.classNames[settings.expose as ExposedAs]!,
                host: serviceHost(name, settings, fd.domain),
                albSourceCidrs: albSubnetCidrs(network.subnetPlan, settings.expose as ExposedAs),
                requires: frontDoor.ingressRequires,
              }
            : undefined,
        // Destroy order: the pods go before the NodePools whose nodes they run on.
        nodesDependOn: karpenter.nodePools,
        serviceMonitor: observability !== undefined,
        monitoringDependsOn: observability ? [observability.release] : [],
        podSecurityVersion: `v${config.kubernetesVersion}`,
        callees: settings.calls.map((callee) => ({
          name: callee,
          port: config.services[callee]!.port,
        })),
        callers: callers[name],
        secrets: secretMounts(settings.secrets, generatedArns),
        region: config.region,
        // Destroy order: the pods and their secret mounts go before the driver.
        secretsDependsOn: secretsDelivery?.releases ?? [],
        tags,
      }),
  );

  // The CI preview role's reads for `pulumi preview --refresh`: Helm records and what the view
  // policy leaves out.
  new PreviewAccess("preview-access", {
    provider: cluster.provider,
    releaseNamespaces: [
      ...new Set([
        CHARTS.awsLoadBalancerController.namespace,
        ...(secretsDelivery ? [CHARTS.secretsStoreCsiDriver.namespace] : []),
        ...(observability
          ? [CHARTS.kubePrometheusStack.namespace, CHARTS.awsForFluentBit.namespace]
          : []),
      ]),
    ],
    requires: observability ? [observability] : [],
  });

  // Alias records for each host, deleted before the Ingress whose ALB they point at.
  if (fd.domain !== "") {
    new FrontDoorRecords("front-door-dns", {
      hostedZoneId: fd.hostedZoneId,
      records: services.flatMap((s) =>
        s.host && s.hostname ? [{ host: s.host, albHostname: s.hostname }] : [],
      ),
    });
  }

  return {
    ...clusterOutputs,
    serviceUrls: Object.fromEntries(
      services.flatMap((service, i) =>
        service.url ? [[Object.keys(config.services)[i], service.url]] : [],
      ),
    ),
    ...(observability ? { grafanaAdminPassword: observability.grafanaAdminPassword } : {}),
  };
};
