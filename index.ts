import { AppImage } from "./components/app-image";
import { EcrRepository } from "./components/ecr";
import { EksCluster } from "./components/eks";
import { deployingRole } from "./components/eks/caller";
import { KubeconfigCluster } from "./components/kubeconfig-cluster";
import { LoadBalancerController, Observability, PreviewAccess } from "./components/platform";
import { Service } from "./components/service";
import { Vpc } from "./components/vpc";
import { onExistingCluster } from "./config/cluster-source";
import { loadConfig } from "./config/load";
import { refusePlaceholders } from "./config/placeholders";
import { stackZones } from "./components/zones";
import { CHARTS } from "./lib/charts";
import { architectureOf } from "./lib/instance-types";
import { clusterName, namePrefix, repositoryName, serviceRoleName } from "./lib/naming";
import { baseTags } from "./lib/tags";

/**
 * The platform, composed per stack: config is validated first, so a bad value fails before
 * any resource is registered; every environment difference comes from the stack's config.
 */
export = async () => {
  const config = loadConfig();
  // A preview warns about placeholder values; a real update refuses them, before any resource.
  refusePlaceholders(config);
  // clusterSource: kubeconfig deploys the services alone into a cluster the stack does not own
  // (a local one for development): no network, registry, EKS or AWS add-on, no AWS call at all.
  if (onExistingCluster(config)) {
    const cluster = new KubeconfigCluster("cluster", {
      kubeconfigPath: config.kubeconfigPath,
      context: config.kubeconfigContext,
    });
    const services = Object.entries(config.services).map(([name, settings]) => {
      const image = settings.image ?? config.appImage;
      return [name, new Service(name, { image, settings, provider: cluster.provider })] as const;
    });
    return { internalUrls: Object.fromEntries(services.map(([n, s]) => [n, s.internalUrl])) };
  }
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
  // The sample image is built for the architecture of the first node group.
  const firstGroup = Object.values(config.nodeGroups)[0];
  const image = new AppImage(`${prefix}-app`, {
    imageRef: config.appImage,
    repositoryUrl: repository.repositoryUrl,
    architecture: architectureOf(firstGroup?.instanceTypes[0] ?? "t3.medium"),
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
  // Layer switches (a stack with the network and registry only); production requires both on.
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
        requires: [...inCluster, cluster.addons["aws-ebs-csi-driver"]],
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
        serviceMonitor: observability !== undefined,
        monitoringDependsOn: observability ? [observability.release] : [],
        podSecurityVersion: `v${config.kubernetesVersion}`,
        tags,
      }),
  );

  // The CI preview role's reads for `pulumi preview --refresh`: Helm records and what the view
  // policy leaves out.
  new PreviewAccess("preview-access", {
    provider: cluster.provider,
    releaseNamespaces: [
      CHARTS.awsLoadBalancerController.namespace,
      ...(observability
        ? [CHARTS.kubePrometheusStack.namespace, CHARTS.awsForFluentBit.namespace]
        : []),
    ],
    requires: observability ? [observability] : [],
  });

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
