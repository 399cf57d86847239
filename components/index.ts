/**
 * What `index.ts` composes, in one module it imports once the config is known good: these and
 * the SDKs behind them (@pulumi/aws, @pulumi/kubernetes, the Pulumi SDK's index) take about a
 * second to load, which a config error does not wait for.
 */
export { AppImage } from "./app-image";
export { EcrRepository } from "./ecr";
export { EksCluster, deployingRole } from "./eks";
export { KubeconfigCluster } from "./kubeconfig-cluster";
export { createPlatformAddons } from "./platform/addons";
export { createServices } from "./services";
export { Vpc } from "./vpc";
export { stackZones } from "./zones";
