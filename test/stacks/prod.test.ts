import type { StackRun } from "../../tools/runner";
import { ofType, runStack } from "../harness";
import {
  awsCallersInCluster,
  egressPath,
  expectStableIdentity,
  missingEdges,
  only,
  release,
  statefulResources,
} from "./expect";

let run: StackRun;
beforeAll(async () => {
  run = await runStack("prod");
});

describe("the prod stack (Pulumi.prod.yaml), run as `pulumi up` would", () => {
  it("registers its resources under the mocks (the program ran after setMocks)", () => {
    expect(run.resources[0]?.type).toBe("pulumi:pulumi:Stack");
    expect(run.resources.length).toBeGreaterThan(50);
  });

  it("spans three AZs with a NAT gateway and a private route table in each", () => {
    // The mock account maps us-east-1c to use1-az3, where EKS refuses control-plane subnets.
    expect(run.outputs.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1d"]);
    expect(ofType(run.resources, "aws:ec2/subnet:Subnet")).toHaveLength(6);
    const nats = ofType(run.resources, "aws:ec2/natGateway:NatGateway");
    expect(nats).toHaveLength(3);
    expect(new Set(nats.map((n) => n.inputs.subnetId)).size).toBe(3);
    const defaultRoutes = ofType(run.resources, "aws:ec2/route:Route").filter(
      (r) => r.inputs.natGatewayId,
    );
    expect(new Set(defaultRoutes.map((r) => r.inputs.routeTableId)).size).toBe(3);
  });

  it("runs on-demand nodes, three at least, spread over every private subnet", () => {
    const group = only(run, "aws:eks/nodeGroup:NodeGroup");
    expect(group.inputs).toMatchObject({
      capacityType: "ON_DEMAND",
      instanceTypes: ["m6i.large"],
      scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 9 },
    });
    expect(group.inputs.subnetIds).toHaveLength(3);
  });

  it("runs Prometheus, Grafana and Fluent Bit, with persistence and a ServiceMonitor for the app", () => {
    expect(ofType(run.resources, "platform:k8s:Observability")).toHaveLength(1);
    expect(release(run, "kube-prometheus-stack")).toBeDefined();
    expect(release(run, "aws-for-fluent-bit")).toBeDefined();
    expect(
      ofType(run.resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"),
    ).toHaveLength(1);
    expect(typeof run.outputs.grafanaAdminPassword).toBe("string");
  });

  it("protects every stateful resource from deletion and replacement", () => {
    const stateful = statefulResources(run);
    const types = new Set(stateful.map((r) => r.type));
    expect([...types].sort()).toEqual([
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/vpc:Vpc",
      "aws:ecr/repository:Repository",
      "aws:eks/cluster:Cluster",
      "aws:eks/nodeGroup:NodeGroup",
      "aws:kms/key:Key",
    ]);
    expect(stateful.filter((r) => !r.options.protect).map((r) => r.urn)).toEqual([]);
  });

  it("turns on EKS deletion protection, keeps images on destroy and a 30-day key window", () => {
    expect(only(run, "aws:eks/cluster:Cluster").inputs.deletionProtection).toBe(true);
    expect(only(run, "aws:ecr/repository:Repository").inputs.forceDelete).toBe(false);
    for (const key of ofType(run.resources, "aws:kms/key:Key")) {
      expect(key.inputs.deletionWindowInDays).toBe(30);
    }
  });

  it("keeps the API endpoint off the open internet and logs every control-plane log type for a year", () => {
    const cluster = only(run, "aws:eks/cluster:Cluster");
    // The stand-in a real update needs in place of the shipped documentation range.
    expect(cluster.inputs.vpcConfig).toMatchObject({ publicAccessCidrs: ["52.94.0.0/24"] });
    expect(cluster.inputs.enabledClusterLogTypes).toHaveLength(5);
  });

  it("runs at least two replicas of every service, three for the app", () => {
    for (const hpa of ofType(run.resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")) {
      expect((hpa.inputs.spec as { minReplicas: number }).minReplicas).toBeGreaterThanOrEqual(2);
    }
    expect(
      only(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs.spec,
    ).toMatchObject({
      minReplicas: 3,
      maxReplicas: 10,
    });
  });

  it("exports the registry URL, the cluster, the kubeconfig command and the app's URL", () => {
    expect(run.outputs.clusterName).toBe("platform-prod");
    expect(run.outputs.updateKubeconfigCommand).toBe(
      "aws eks update-kubeconfig --name platform-prod --region us-east-1",
    );
    expect(Object.keys(run.outputs.serviceUrls as object)).toEqual(["app"]);
  });

  it("keeps the egress path until every node group, addon, release and load balancer is gone (destroy order)", () => {
    const egress = egressPath(run);
    expect(egress.length).toBeGreaterThanOrEqual(13);
    const callers = awsCallersInCluster(run);
    expect(callers.length).toBeGreaterThanOrEqual(11);
    expect(missingEdges(run, callers, egress)).toEqual([]);
  });

  it("gives the CI preview role the reads a refresh needs: Helm records per release namespace, no Secrets elsewhere", () => {
    const roles = ofType(run.resources, "kubernetes:rbac.authorization.k8s.io/v1:Role");
    const releaseNamespaces = ofType(run.resources, "kubernetes:helm.sh/v3:Release").map(
      (r) => r.inputs.namespace,
    );
    expect(roles.map((r) => (r.inputs.metadata as { namespace: string }).namespace).sort()).toEqual(
      [...new Set(releaseNamespaces)].sort(),
    );
    for (const role of roles) {
      expect(role.inputs.rules).toEqual([
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] },
      ]);
    }
    const clusterRole = only(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    const resources = (clusterRole.inputs.rules as { resources: string[] }[]).flatMap(
      (r) => r.resources,
    );
    expect(resources).not.toContain("secrets");
  });

  it("deletes the monitoring namespaces, and the volume claims in them, while the EBS CSI driver and the egress still run", () => {
    const ebs = ofType(run.resources, "aws:eks/addon:Addon").filter(
      (a) => a.inputs.addonName === "aws-ebs-csi-driver",
    );
    const namespaces = ofType(run.resources, "kubernetes:core/v1:Namespace").filter((n) =>
      ["monitoring", "host-agents"].includes((n.inputs.metadata as { name: string }).name),
    );
    expect(namespaces).toHaveLength(2);
    expect(missingEdges(run, namespaces, [...ebs, ...egressPath(run)])).toEqual([]);
  });

  it("names its CI roles: the deploy role administers, the preview role views and joins the previewers group", () => {
    const entries = ofType(run.resources, "aws:eks/accessEntry:AccessEntry");
    expect(entries.map((e) => [e.inputs.principalArn, e.inputs.kubernetesGroups])).toEqual([
      ["arn:aws:iam::210987654321:role/gha-platform-deploy", undefined],
      ["arn:aws:iam::210987654321:role/gha-platform-preview", ["platform:previewers"]],
    ]);
  });

  it("keeps every resource identity (URNs and replacement-forcing inputs) as committed", () => {
    expectStableIdentity(run);
  });
});
