import * as aws from "@pulumi/aws";
import { AppImage } from "./components/app-image";
import { EcrRepository } from "./components/ecr";
import { EksCluster } from "./components/eks";
import { Karpenter, LoadBalancerController, Observability } from "./components/platform";
import { Service } from "./components/service";
import { Vpc } from "./components/vpc";
import { loadConfig } from "./config/load";
import { selectZones } from "./config/zones";
import { Architecture } from "./lib/instance-types";
import { clusterName, namePrefix, repositoryName, serviceRoleName } from "./lib/naming";
import { baseTags } from "./lib/tags";

/**
 * The platform, composed per stack: config is validated first, so a bad value fails before
 * any resource is registered; every environment difference comes from the stack's config.
 */
export = async () => {
  const config = loadConfig();
  const zones = selectZones(config, (await aws.getAvailabilityZones({ state: "available" })).names);
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
    nodeGroups: config.nodeGroups,
    addonVersions: config.addonVersions,
    kubeconfigProfile: config.kubeconfigProfile,
    kubeconfigRoleArn: config.kubeconfigRoleArn,
    region: config.region,
    tags,
  });
  const nodeGroups = Object.values(cluster.nodeGroups);
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
    requires: [...nodeGroups, cluster.addons.coredns, cluster.addons["eks-pod-identity-agent"]],
    tags,
  });
  const loadBalancerController = new LoadBalancerController("aws-load-balancer-controller", {
    clusterName: cluster.clusterName,
    vpcId: network.vpcId,
    region: config.region,
    provider: cluster.provider,
    namePrefix: prefix,
    requires: nodeGroups,
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
        requires: [...nodeGroups, ...karpenter.nodePools, cluster.addons["aws-ebs-csi-driver"]],
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
        loadBalancerDependsOn: [loadBalancerController.release, ...nodeGroups],
        // Destroy order: the pods go before the NodePools whose nodes they run on.
        nodesDependOn: karpenter.nodePools,
        serviceMonitor: observability !== undefined,
        monitoringDependsOn: observability ? [observability.release] : [],
        podSecurityVersion: `v${config.kubernetesVersion}`,
        tags,
      }),
  );

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
