import type { StackRun } from "../../tools/runner";
import { findResource, ofType, runStack } from "../harness";
import {
  egressPath,
  expectStableIdentity,
  missingEdges,
  only,
  release,
  statefulResources,
} from "./expect";
import { describeDeployReadiness } from "./deploy-readiness";
import { describeKarpenter } from "./karpenter";

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

  it("runs a fixed on-demand Graviton system node group, one node per AZ over every private subnet", () => {
    const group = only(run, "aws:eks/nodeGroup:NodeGroup");
    expect(group.inputs).toMatchObject({
      capacityType: "ON_DEMAND",
      instanceTypes: ["t4g.medium"],
      amiType: "AL2023_ARM_64_STANDARD",
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

  it("runs Prometheus, Grafana and Fluent Bit, with persistence and a ServiceMonitor for each service", () => {
    expect(ofType(run.resources, "platform:k8s:Observability")).toHaveLength(1);
    expect(release(run, "kube-prometheus-stack")).toBeDefined();
    expect(release(run, "aws-for-fluent-bit")).toBeDefined();
    expect(
      ofType(run.resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"),
    ).toHaveLength(2);
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
      "aws:s3/bucket:Bucket",
      "aws:secretsmanager/secret:Secret",
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
    // The stand-ins a real update needs in place of the shipped documentation values
    // (tools/stand-ins.ts): apps.example.com becomes apps.platform-stand-in.dev.
    expect(cluster.inputs.vpcConfig).toMatchObject({ publicAccessCidrs: ["52.94.0.0/24"] });
    expect(cluster.inputs.enabledClusterLogTypes).toHaveLength(5);
  });

  it("runs at least two replicas of every service, three for the app", () => {
    for (const hpa of ofType(run.resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")) {
      expect((hpa.inputs.spec as { minReplicas: number }).minReplicas).toBeGreaterThanOrEqual(2);
    }
    expect(
      findResource(
        run.resources,
        "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        "app-autoscaler",
      ).inputs.spec,
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
    expect(run.outputs.serviceUrls).toEqual({ app: "https://app.apps.platform-stand-in.dev/" });
  });

  it("serves the app over HTTPS on its own host under the domain, with WAF, access logs and deletion protection", () => {
    const ingress = only(run, "kubernetes:networking.k8s.io/v1:Ingress");
    expect(ingress.inputs.spec).toMatchObject({
      rules: [{ host: "app.apps.platform-stand-in.dev" }],
    });
    const params = only(run, "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams");
    expect(params.inputs.spec).toMatchObject({
      scheme: "internet-facing",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      loadBalancerAttributes: expect.arrayContaining([
        { key: "deletion_protection.enabled", value: "true" },
        { key: "access_logs.s3.enabled", value: "true" },
      ]),
    });
    expect(only(run, "aws:wafv2/webAcl:WebAcl").inputs.scope).toBe("REGIONAL");
    expect(only(run, "aws:s3/bucket:Bucket").options.protect).toBe(true);
    expect(only(run, "aws:acm/certificate:Certificate").inputs).toMatchObject({
      domainName: "apps.platform-stand-in.dev",
      subjectAlternativeNames: ["*.apps.platform-stand-in.dev"],
    });
  });

  it("deletes the Ingress before the controller, the nodes and the classes, and the certificate, logs and ACL only after it", () => {
    const ingress = only(run, "kubernetes:networking.k8s.io/v1:Ingress");
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const waits = new Set<string>();
    const queue = [...ingress.options.dependencies];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (waits.has(next)) continue;
      waits.add(next);
      queue.push(...(byUrn.get(next)?.options.dependencies ?? []));
    }
    for (const type of [
      "aws:eks/nodeGroup:NodeGroup",
      "kubernetes:networking.k8s.io/v1:IngressClass",
      "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
      "aws:acm/certificateValidation:CertificateValidation",
      "aws:acm/certificate:Certificate",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:wafv2/webAcl:WebAcl",
    ]) {
      expect([type, waits.has(only(run, type).urn)]).toEqual([type, true]);
    }
    expect(waits.has(release(run, "aws-load-balancer-controller")!.urn)).toBe(true);
    // The alias record reads the Ingress status, so it is deleted first.
    const alias = ofType(run.resources, "aws:route53/record:Record").find(
      (r) => r.inputs.name === "app.apps.platform-stand-in.dev",
    );
    expect(alias?.options.dependencies).toContain(ingress.urn);
  });

  describeDeployReadiness(() => run, { egressAtLeast: 13, callersAtLeast: 11 });

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
    // People and CI; Karpenter's node role has an EC2_LINUX entry of its own.
    const entries = ofType(run.resources, "aws:eks/accessEntry:AccessEntry").filter(
      (e) => e.inputs.type === "STANDARD",
    );
    expect(entries.map((e) => [e.inputs.principalArn, e.inputs.kubernetesGroups])).toEqual([
      ["arn:aws:iam::210987654321:role/gha-platform-deploy", undefined],
      ["arn:aws:iam::210987654321:role/gha-platform-preview", ["platform:previewers"]],
    ]);
  });

  it("keeps every resource identity (URNs and replacement-forcing inputs) as committed", () => {
    expectStableIdentity(run);
  });
});
