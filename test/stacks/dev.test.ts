import type { StackRun } from "../../tools/runner";
import { findResource, ofType, runStack } from "../harness";
import { expectStableIdentity, only, release, statefulResources } from "./expect";
import { describeDeployReadiness } from "./deploy-readiness";
import { describeKarpenter } from "./karpenter";

let run: StackRun;
beforeAll(async () => {
  run = await runStack("dev");
});

describe("the dev stack (Pulumi.dev.yaml), run as `pulumi up` would", () => {
  it("registers its resources under the mocks (the program ran after setMocks)", () => {
    expect(run.resources[0]?.type).toBe("pulumi:pulumi:Stack");
    expect(run.resources.length).toBeGreaterThan(50);
  });

  it("is cheap: two AZs and one NAT instance instead of a NAT gateway", () => {
    expect(run.outputs.availabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
    expect(ofType(run.resources, "aws:ec2/subnet:Subnet")).toHaveLength(4);
    expect(ofType(run.resources, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    expect(only(run, "aws:autoscaling/group:Group").inputs).toMatchObject({ maxSize: 1 });
  });

  it("runs one small spot system node group of two x86 instance types", () => {
    const group = only(run, "aws:eks/nodeGroup:NodeGroup");
    expect(group.inputs).toMatchObject({
      capacityType: "SPOT",
      instanceTypes: ["t3.medium", "t3a.medium"],
      amiType: "AL2023_x86_64_STANDARD",
      scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 },
    });
  });

  it("gets its workload nodes from one spot NodePool with a small ceiling, and one controller", () => {
    expect(only(run, "kubernetes:karpenter.sh/v1:NodePool").inputs.spec).toMatchObject({
      template: {
        spec: {
          requirements: expect.arrayContaining([
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
          ]),
        },
      },
      limits: { cpu: "8", memory: "32Gi" },
    });
    expect(
      (
        release(run, "oci://public.ecr.aws/karpenter/karpenter")?.inputs.values as {
          replicas: number;
        }
      ).replicas,
    ).toBe(1);
  });

  describeKarpenter(() => run);

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

  it("runs the sample app with one to two replicas behind the shared internet-facing ALB, over HTTP", () => {
    const hpa = findResource(
      run.resources,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "app-autoscaler",
    );
    expect(hpa.inputs.spec).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
    const svc = findResource(run.resources, "kubernetes:core/v1:Service", "app-service");
    expect(svc.inputs.spec).toMatchObject({ type: "ClusterIP" });
    const ingress = only(run, "kubernetes:networking.k8s.io/v1:Ingress");
    expect(ingress.inputs.spec).toMatchObject({ ingressClassName: "platform-dev-internet" });
    // No domain in dev: no certificate, no DNS records, no WAF, no access-log bucket.
    for (const type of [
      "aws:acm/certificate:Certificate",
      "aws:route53/record:Record",
      "aws:wafv2/webAcl:WebAcl",
      "aws:s3/bucket:Bucket",
    ]) {
      expect(ofType(run.resources, type)).toHaveLength(0);
    }
  });

  it("routes /app on the ALB's own hostname to the app, strips the prefix, and admits only the public subnets", () => {
    const ingress = only(run, "kubernetes:networking.k8s.io/v1:Ingress");
    expect(ingress.inputs.spec).toMatchObject({
      rules: [{ http: { paths: [{ path: "/app", pathType: "Prefix" }] } }],
    });
    const annotations = (ingress.inputs.metadata as { annotations: Record<string, string> })
      .annotations;
    expect(annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTP": 80}]');
    expect(annotations["alb.ingress.kubernetes.io/transforms.app"]).toContain("url-rewrite");
    const publicSubnets = ofType(run.resources, "aws:ec2/subnet:Subnet")
      .filter((s) => "kubernetes.io/role/elb" in (s.inputs.tags as object))
      .map((s) => ({ ipBlock: { cidr: s.inputs.cidrBlock } }));
    const albPolicy = ofType(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) => p.name === "app-allow-alb",
    );
    expect(albPolicy?.inputs.spec).toMatchObject({ ingress: [{ from: publicSubnets }] });
    expect(publicSubnets).toHaveLength(2);
  });

  it("deletes the Service and its Ingress before the controller and the nodes (destroy order)", () => {
    const svc = findResource(run.resources, "kubernetes:core/v1:Service", "app-service");
    const ingress = only(run, "kubernetes:networking.k8s.io/v1:Ingress");
    const controller = release(run, "aws-load-balancer-controller");
    const nodes = only(run, "aws:eks/nodeGroup:NodeGroup");
    for (const r of [svc, ingress]) {
      expect(r.options.dependencies).toEqual(expect.arrayContaining([controller!.urn, nodes.urn]));
    }
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
      app: expect.stringMatching(
        /^http:\/\/k8s-[a-z0-9-]+\.us-east-1\.elb\.amazonaws\.com\/app\/$/,
      ),
    });
    expect(run.outputs.grafanaAdminPassword).toBeUndefined();
  });

  describeDeployReadiness(() => run, { egressAtLeast: 7, callersAtLeast: 9 });

  it("grants cluster admin to the identity that deploys, as no admin is configured", () => {
    // People and CI; Karpenter's node role has an EC2_LINUX entry of its own.
    const entries = ofType(run.resources, "aws:eks/accessEntry:AccessEntry").filter(
      (e) => e.inputs.type === "STANDARD",
    );
    expect(entries.map((e) => e.inputs.principalArn)).toEqual([
      "arn:aws:iam::123456789012:role/PlatformDeployer",
    ]);
  });

  it("lets app call the internal backend, and no one else reach it in the cluster", () => {
    const policy = (name: string) =>
      findResource(run.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", name).inputs
        .spec as { ingress?: { from: unknown[] }[]; egress?: unknown[] };
    expect(JSON.stringify(policy("backend-calls").ingress)).toContain(
      '"kubernetes.io/metadata.name":"app"',
    );
    expect(policy("backend-calls").ingress?.[0]?.from).toHaveLength(1);
    expect(JSON.stringify(policy("app-calls").egress)).toContain(
      '"app.kubernetes.io/name":"backend"',
    );
    const app = findResource(run.resources, "kubernetes:apps/v1:Deployment", "app-deployment");
    expect(JSON.stringify(app.inputs)).toContain(
      '{"name":"BACKEND_URL","value":"http://backend.backend.svc.cluster.local:8080"}',
    );
  });

  it("has backend read a generated Secrets Manager secret through the CSI driver, installed after the nodes", () => {
    const secret = only(run, "aws:secretsmanager/secret:Secret");
    expect(secret.inputs).toMatchObject({
      namePrefix: "platform-dev/sample-api-token-",
      recoveryWindowInDays: 7,
    });
    const spc = only(run, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass");
    // The class and the role's policy take the secret's ARN: their inputs come from it.
    expect(spc.options.dependencies).toContain(secret.urn);
    const inline = findResource(
      run.resources,
      "aws:iam/rolePolicy:RolePolicy",
      "backend-aws-inline",
    );
    expect(inline.options.dependencies).toContain(secret.urn);
    const nodes = only(run, "aws:eks/nodeGroup:NodeGroup");
    expect(release(run, "secrets-store-csi-driver")!.options.dependencies).toContain(nodes.urn);
    expect(run.outputs).not.toHaveProperty("sampleApiToken");
  });

  it("keeps every resource identity (URNs and replacement-forcing inputs) as committed", () => {
    expectStableIdentity(run);
  });
});
