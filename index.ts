// First, for its side effect: stacks that Node 20 can print (lib/stack-frames.ts).
import "./lib/stack-frames-guard";
import { onExistingCluster } from "./config/cluster-source";
import { loadConfig } from "./config/load";
import { refusePlaceholders } from "./config/placeholders";
import { Architecture } from "./lib/instance-types";
import { clusterName, namePrefix, repositoryName } from "./lib/naming";
import { baseTags } from "./lib/tags";

/**
 * The platform, composed per stack: config is validated first, so a bad value fails before
 * any resource is registered; every environment difference comes from the stack's config.
 */
export = async () => {
  const config = loadConfig();
  // A preview warns about placeholder values; a real update refuses them, before any resource.
  refusePlaceholders(config);
  // Only now the components and the SDKs behind them: a config error is reported without
  // waiting a second for them to load.
  const {
    AppImage,
    EcrRepository,
    EksCluster,
    KubeconfigCluster,
    Vpc,
    createPlatformAddons,
    createServices,
    deployingRole,
    stackZones,
  } = await import("./components");
  // clusterSource: kubeconfig deploys the services alone into a cluster the stack does not own
  // (a local one for development): no network, registry, EKS or AWS add-on, no AWS call at all.
  if (onExistingCluster(config)) {
    const cluster = new KubeconfigCluster("cluster", {
      kubeconfigPath: config.kubeconfigPath,
      context: config.kubeconfigContext,
    });
    const { services } = createServices(config, {
      provider: cluster.provider,
      image: config.appImage,
    });
    return {
      internalUrls: Object.fromEntries(
        Object.entries(services).map(([name, s]) => [name, s.internalUrl]),
      ),
    };
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
  const clusterOutputs = {
    ...networkOutputs,
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    updateKubeconfigCommand: cluster.updateKubeconfigCommand,
    adminAccessNote: cluster.adminAccessNote,
  };
  if (!config.kubernetesWorkloads) return clusterOutputs;

  // Karpenter, the load balancer controller, observability, secrets delivery, the front door:
  // each only when the config asks, all after the nodes and the egress path.
  const addons = createPlatformAddons(config, { cluster, network, prefix, protection, tags });
  const { urls } = createServices(config, {
    provider: cluster.provider,
    image: image.imageRef,
    aws: { cluster, addons, subnetPlan: network.subnetPlan, tags },
  });

  return {
    ...clusterOutputs,
    serviceUrls: urls,
    ...(addons.observability
      ? { grafanaAdminPassword: addons.observability.grafanaAdminPassword }
      : {}),
  };
};
