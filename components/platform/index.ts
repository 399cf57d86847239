/** Cluster-wide addons the services rely on: load balancing, metrics and logs. */
export * from "./load-balancer-controller";
export * from "./observability";
export * from "./preview-access";
export * from "./secrets-delivery";
export * from "./front-door";
export * from "./front-door-dns";
export * from "./karpenter";
