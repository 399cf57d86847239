/**
 * What the Kubernetes-layer components need from a cluster, without building one: a provider
 * and a node group to depend on. Call it after `useMocks()`.
 */
export async function clusterStub() {
  const aws = await import("@pulumi/aws");
  const k8s = await import("@pulumi/kubernetes");
  const provider = new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
  const nodeGroup = new aws.eks.NodeGroup("general", {
    clusterName: "platform-test",
    nodeRoleArn: "arn:aws:iam::123456789012:role/node",
    subnetIds: ["subnet-1"],
    scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 3 },
  });
  return { provider, nodeGroup };
}
