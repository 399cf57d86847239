import type { StackRun } from "../../tools/runner";
import { ofType, runStack } from "../harness";
import { describeKarpenter } from "./karpenter";
import { expectStableIdentity, only, release, statefulResources } from "./expect";

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
    expect(run.outputs.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(ofType(run.resources, "aws:ec2/subnet:Subnet")).toHaveLength(6);
    const nats = ofType(run.resources, "aws:ec2/natGateway:NatGateway");
    expect(nats).toHaveLength(3);
    expect(new Set(nats.map((n) => n.inputs.subnetId)).size).toBe(3);
    const defaultRoutes = ofType(run.resources, "aws:ec2/route:Route").filter(
      (r) => r.inputs.natGatewayId,
    );
    expect(new Set(defaultRoutes.map((r) => r.inputs.routeTableId)).size).toBe(3);
  });

  it("runs a fixed on-demand system node group, one node per AZ over every private subnet", () => {
    const group = only(run, "aws:eks/nodeGroup:NodeGroup");
    expect(group.inputs).toMatchObject({
      capacityType: "ON_DEMAND",
      instanceTypes: ["m6i.large"],
      scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 4 },
    });
    expect(group.inputs.subnetIds).toHaveLength(3);
  });

  it("gets its workload nodes from an on-demand NodePool that disrupts at most 10% of nodes at once", () => {
    expect(only(run, "kubernetes:karpenter.sh/v1:NodePool").inputs.spec).toMatchObject({
      template: {
        spec: {
          requirements: expect.arrayContaining([
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          ]),
        },
      },
      disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", budgets: [{ nodes: "10%" }] },
      limits: { cpu: "96", memory: "384Gi" },
    });
  });

  it("runs two Karpenter controllers with a PodDisruptionBudget", () => {
    const values = release(run, "oci://public.ecr.aws/karpenter/karpenter")?.inputs.values;
    expect(values).toMatchObject({ replicas: 2, podDisruptionBudget: { maxUnavailable: 1 } });
  });

  it("deletes Prometheus and Grafana before the NodePools their pods run on", () => {
    const pools = ofType(run.resources, "kubernetes:karpenter.sh/v1:NodePool").map((p) => p.urn);
    expect(release(run, "kube-prometheus-stack")?.options.dependencies).toEqual(
      expect.arrayContaining(pools),
    );
  });

  describeKarpenter(() => run);

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
    expect(cluster.inputs.vpcConfig).toMatchObject({ publicAccessCidrs: ["203.0.113.0/24"] });
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

  it("keeps every resource identity (URNs and replacement-forcing inputs) as committed", () => {
    expectStableIdentity(run);
  });
});
