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
  run = await runStack("dev");
});

describe("the dev stack (Pulumi.dev.yaml), run as `pulumi up` would", () => {
  it("registers its resources under the mocks (the program ran after setMocks)", () => {
    expect(run.resources[0]?.type).toBe("pulumi:pulumi:Stack");
    expect(run.resources.length).toBeGreaterThan(50);
  });

  it("is cheap: two AZs and a single NAT gateway", () => {
    expect(run.outputs.availabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
    expect(ofType(run.resources, "aws:ec2/subnet:Subnet")).toHaveLength(4);
    expect(ofType(run.resources, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
  });

  it("runs one small spot node group of two x86 instance types", () => {
    const group = only(run, "aws:eks/nodeGroup:NodeGroup");
    expect(group.inputs).toMatchObject({
      capacityType: "SPOT",
      instanceTypes: ["t3.medium", "t3a.medium"],
      amiType: "AL2023_x86_64_STANDARD",
      scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 },
    });
  });

  it("leaves observability off", () => {
    expect(ofType(run.resources, "platform:k8s:Observability")).toHaveLength(0);
    expect(release(run, "kube-prometheus-stack")).toBeUndefined();
    expect(
      ofType(run.resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"),
    ).toHaveLength(0);
  });

  it("is easy to tear down: nothing protected, no deletion protection, images force-deleted, 7-day key window", () => {
    expect(statefulResources(run).length).toBeGreaterThan(8);
    expect(run.resources.filter((r) => r.options.protect)).toEqual([]);
    expect(only(run, "aws:eks/cluster:Cluster").inputs.deletionProtection).toBe(false);
    expect(only(run, "aws:ecr/repository:Repository").inputs.forceDelete).toBe(true);
    for (const key of ofType(run.resources, "aws:kms/key:Key")) {
      expect(key.inputs.deletionWindowInDays).toBe(7);
    }
  });

  it("runs the sample app with one to two replicas behind an internet-facing NLB", () => {
    const hpa = only(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    expect(hpa.inputs.spec).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
    const svc = only(run, "kubernetes:core/v1:Service");
    expect(svc.inputs.spec).toMatchObject({ type: "LoadBalancer" });
  });

  it("deletes the load balancer Service before the controller and the nodes (destroy order)", () => {
    const svc = only(run, "kubernetes:core/v1:Service");
    const controller = release(run, "aws-load-balancer-controller");
    const nodes = only(run, "aws:eks/nodeGroup:NodeGroup");
    expect(svc.options.dependencies).toEqual(expect.arrayContaining([controller!.urn, nodes.urn]));
  });

  it("exports the registry URL, the cluster, the kubeconfig command and the app's URL", () => {
    expect(run.outputs.ecrRepositoryUrl).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-dev/app",
    );
    expect(run.outputs.clusterName).toBe("platform-dev");
    expect(run.outputs.updateKubeconfigCommand).toBe(
      "aws eks update-kubeconfig --name platform-dev --region us-east-1",
    );
    expect(String(run.outputs.kubeconfig)).toContain('"get-token"');
    expect(run.outputs.serviceUrls).toEqual({
      app: expect.stringMatching(/^http:\/\/k8s-.*\.elb\.us-east-1\.amazonaws\.com(:\d+)?$/),
    });
    expect(run.outputs.grafanaAdminPassword).toBeUndefined();
  });

  it("keeps the egress path until every node group, addon, release and load balancer is gone (destroy order)", () => {
    const egress = egressPath(run);
    expect(egress.length).toBeGreaterThanOrEqual(7);
    const callers = awsCallersInCluster(run);
    expect(callers.length).toBeGreaterThanOrEqual(9);
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

  it("grants cluster admin to the identity that deploys, as no admin is configured", () => {
    const entries = ofType(run.resources, "aws:eks/accessEntry:AccessEntry");
    expect(entries.map((e) => e.inputs.principalArn)).toEqual([
      "arn:aws:iam::123456789012:role/PlatformDeployer",
    ]);
  });

  it("keeps every resource identity (URNs and replacement-forcing inputs) as committed", () => {
    expectStableIdentity(run);
  });
});
