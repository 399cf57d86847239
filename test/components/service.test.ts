import { clusterStub } from "./cluster-stub";
import type * as pulumi from "@pulumi/pulumi";
import type { Service, ServiceArgs } from "../../components/service";
import { serviceSchema } from "../../config/schema";
import { restrictedViolations } from "../../policy/rules/pod-security";
import { RecordedResource, childrenOf, findResource, ofType, useMocks, valueOf } from "../harness";

// Recorded inputs are untyped JSON; the tests read them by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const DIGEST = `123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-test/app@sha256:${"a".repeat(64)}`;
const POLICY_ARN = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";

// web: internet NLB (TCP), AWS access, metrics scraped; worker: in-cluster only, calls the
// Kubernetes API, no metrics; api: internal NLB (TCP), metrics on but no observability stack.
// HTTP services behind the shared ALB are in front-door.test.ts.
const SETTINGS = {
  web: serviceSchema.parse({
    expose: "internet",
    protocol: "tcp",
    minReplicas: 3,
    maxReplicas: 6,
    cpu: "250m",
    memory: "256Mi",
    awsPolicyArns: [POLICY_ARN],
    env: { LOG_LEVEL: "info", A_FIRST: "1" },
    targetCpuPercent: 60,
  }),
  worker: serviceSchema.parse({ expose: "none", metrics: false, kubernetesApi: true, port: 9000 }),
  api: serviceSchema.parse({ expose: "internal", protocol: "tcp", minReplicas: 2 }),
};

let resources: RecordedResource[];
let done: () => Promise<void>;
let services: Record<keyof typeof SETTINGS, Service>;
let controllerUrn: string;
let nodeGroupUrn: string;
let monitoringUrn: string;

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const k8s = await import("@pulumi/kubernetes");
  const p = await import("@pulumi/pulumi");
  const { Service } = await import("../../components/service");
  const { LoadBalancerController } = await import("../../components/platform");

  const { provider, nodeGroup } = await clusterStub();
  const controller = new LoadBalancerController("lbc", {
    clusterName: "platform-test",
    vpcId: "vpc-1",
    region: "us-east-1",
    provider,
    namePrefix: "platform-test",
    requires: [nodeGroup],
  });
  const monitoring = new k8s.helm.v3.Release(
    "kube-prometheus-stack",
    { chart: "kube-prometheus-stack" },
    { provider },
  );
  const common = (image: pulumi.Input<string>): Omit<ServiceArgs, "settings"> => ({
    image,
    clusterName: "platform-test",
    provider,
    loadBalancerDependsOn: [controller.release, nodeGroup],
    serviceMonitor: true,
    monitoringDependsOn: [monitoring],
    tags: { team: "payments" },
  });
  services = {
    web: new Service("web", {
      ...common(DIGEST),
      settings: SETTINGS.web,
      awsRoleName: "platform-test-svc-web",
    }),
    // An image computed by another resource is an Output: accepted, not checked here.
    worker: new Service("worker", { ...common(p.output(DIGEST)), settings: SETTINGS.worker }),
    api: new Service("api", {
      ...common(DIGEST),
      settings: SETTINGS.api,
      serviceMonitor: false,
      podSecurityVersion: "v1.35",
    }),
  };
  await Promise.all([
    valueOf(services.web.url),
    valueOf(services.api.url),
    valueOf(services.worker.namespace),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  controllerUrn = await valueOf(controller.release.urn);
  nodeGroupUrn = await valueOf(nodeGroup.urn);
  monitoringUrn = await valueOf(monitoring.urn);
});
afterAll(() => done());

type Name = keyof typeof SETTINGS;
const NAMES: Name[] = ["web", "worker", "api"];
const k8s = (type: string, name: string) => findResource(resources, `kubernetes:${type}`, name);
const spec = (type: string, name: string) => k8s(type, name).inputs.spec as Json;
const pod = (name: Name) => spec("apps/v1:Deployment", `${name}-deployment`).template.spec;
const container = (name: Name) => pod(name).containers[0];

describe("Service: namespace and Pod Security Admission", () => {
  it.each(NAMES)(
    "%s: gets its own namespace enforcing, auditing and warning at restricted",
    (name) => {
      const ns = k8s("core/v1:Namespace", `${name}-namespace`).inputs.metadata as Json;
      expect(ns.name).toBe(name);
      for (const mode of ["enforce", "audit", "warn"]) {
        expect(ns.labels[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
      }
    },
  );

  it("pins the PSS version when told, and uses latest otherwise", () => {
    const labels = (name: string) =>
      (k8s("core/v1:Namespace", `${name}-namespace`).inputs.metadata as Json).labels;
    expect(labels("api")["pod-security.kubernetes.io/enforce-version"]).toBe("v1.35");
    expect(labels("web")["pod-security.kubernetes.io/enforce-version"]).toBe("latest");
  });

  it("injects NLB readiness gates only where an NLB sends traffic", () => {
    const gate = (name: string) =>
      (k8s("core/v1:Namespace", `${name}-namespace`).inputs.metadata as Json).labels[
        "elbv2.k8s.aws/pod-readiness-gate-inject"
      ];
    expect([gate("web"), gate("api"), gate("worker")]).toEqual(["enabled", "enabled", undefined]);
  });

  it.each(NAMES)("%s: the rendered pod spec meets the restricted Pod Security Standard", (name) => {
    const template = spec("apps/v1:Deployment", `${name}-deployment`).template;
    expect(restrictedViolations(template.spec, template.metadata)).toEqual([]);
  });
});

describe("Service: network policies", () => {
  it.each(NAMES)("%s: denies all ingress and egress by default", (name) => {
    expect(spec("networking.k8s.io/v1:NetworkPolicy", `${name}-default-deny`)).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    });
  });

  const allow = (name: Name) => spec("networking.k8s.io/v1:NetworkPolicy", `${name}-allow`);

  it("admits the app port, by number, from anywhere behind an NLB (IP targets), and from no other namespace otherwise", () => {
    expect(allow("web").ingress[0]).toEqual({ ports: [{ port: 8080, protocol: "TCP" }] });
    // In-cluster callers come in only through a declared call (test/components/service-links.test.ts).
    expect(allow("worker").ingress).toEqual([]);
  });

  it("admits Prometheus from the monitoring namespace only for services with metrics", () => {
    const fromMonitoring = (name: Name) =>
      (allow(name).ingress as object[]).some((r) =>
        JSON.stringify(r).includes('"kubernetes.io/metadata.name":"monitoring"'),
      );
    expect([fromMonitoring("web"), fromMonitoring("api"), fromMonitoring("worker")]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it.each(NAMES)("%s: may resolve DNS in kube-system and call HTTPS endpoints", (name) => {
    const egress = allow(name).egress;
    expect(egress).toContainEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ],
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    });
    expect(egress).toContainEqual({ ports: [{ port: 443, protocol: "TCP" }] });
  });

  it("lets only the service with an AWS role reach the Pod Identity Agent", () => {
    const agent = {
      to: [{ ipBlock: { cidr: "169.254.170.23/32" } }],
      ports: [{ port: 80, protocol: "TCP" }],
    };
    expect(allow("web").egress).toContainEqual(agent);
    expect(allow("worker").egress).not.toContainEqual(agent);
  });
});

describe("Service: identity", () => {
  it("mounts no service account token unless the service calls the Kubernetes API", () => {
    const sa = (name: string) =>
      k8s("core/v1:ServiceAccount", `${name}-service-account`).inputs.automountServiceAccountToken;
    expect([sa("web"), sa("worker")]).toEqual([false, true]);
    expect([
      pod("web").automountServiceAccountToken,
      pod("worker").automountServiceAccountToken,
    ]).toEqual([false, true]);
    expect(pod("web").serviceAccountName).toBe("web");
  });

  it("associates a role of its own with the service account when it has AWS policies", () => {
    const association = findResource(
      resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "web-aws",
    );
    expect(association.inputs).toMatchObject({
      clusterName: "platform-test",
      namespace: "web",
      serviceAccount: "web",
      tags: { team: "payments" },
    });
    const role = findResource(resources, "aws:iam/role:Role", "platform-test-svc-web");
    expect(association.inputs.roleArn).toContain("platform-test-svc-web");
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      }),
    ]);
    expect(
      findResource(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "web-aws-0")
        .inputs.policyArn,
    ).toBe(POLICY_ARN);
  });

  it("creates no role and no association for services without AWS policies", () => {
    const associations = ofType(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(associations.map((a) => a.inputs.namespace).filter((n) => n !== "kube-system")).toEqual([
      "web",
    ]);
    expect(services.worker.roleArn).toBeUndefined();
  });

  it("creates the Deployment after the association, so pods are admitted with credentials", async () => {
    const association = findResource(
      resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "web-aws",
    );
    expect(k8s("apps/v1:Deployment", "web-deployment").options.dependencies).toContain(
      association.urn,
    );
  });
});

describe("Service: Deployment", () => {
  it.each(NAMES)("%s: leaves replicas to the HorizontalPodAutoscaler", (name) => {
    expect(spec("apps/v1:Deployment", `${name}-deployment`)).not.toHaveProperty("replicas");
  });

  it("runs the image by digest, from a string or another resource's output", () => {
    expect(container("web").image).toBe(DIGEST);
    expect(container("worker").image).toBe(DIGEST);
  });

  it("probes readiness on /readyz, liveness and startup on /healthz, on the named port", () => {
    const c = container("web");
    expect(c.readinessProbe.httpGet).toMatchObject({ path: "/readyz", port: "http" });
    expect(c.livenessProbe.httpGet).toMatchObject({ path: "/healthz", port: "http" });
    expect(c.startupProbe.httpGet).toMatchObject({ path: "/healthz", port: "http" });
  });

  it("requests CPU and memory, limits memory to the request and sets no CPU limit", () => {
    expect(container("web").resources).toEqual({
      requests: { cpu: "250m", memory: "256Mi" },
      limits: { memory: "256Mi" },
    });
  });

  it("runs as UID/GID 10001, non-root, read-only, no escalation, no capabilities, RuntimeDefault seccomp", () => {
    expect(pod("web").securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container("web").securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("gives the read-only container a size-capped emptyDir at /tmp", () => {
    expect(pod("web").volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    expect(container("web").volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
  });

  it("spreads pods across zones and nodes", () => {
    const keys = (pod("web").topologySpreadConstraints as { topologyKey: string }[]).map(
      (t) => t.topologyKey,
    );
    expect(keys).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
  });

  it("rolls out one extra pod at a time and never drops below the desired count", () => {
    expect(spec("apps/v1:Deployment", "web-deployment").strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
  });

  it("pauses before SIGTERM with the native sleep action, within a longer grace period", () => {
    const sleep = container("web").lifecycle.preStop.sleep.seconds as number;
    expect(sleep).toBeGreaterThan(0);
    expect(pod("web").terminationGracePeriodSeconds).toBeGreaterThan(sleep + 10);
  });

  it("passes PORT from the settings, then the configured variables by name", () => {
    expect(container("web").env).toEqual([
      { name: "PORT", value: "8080" },
      { name: "A_FIRST", value: "1" },
      { name: "LOG_LEVEL", value: "info" },
    ]);
    expect(container("worker").env).toEqual([{ name: "PORT", value: "9000" }]);
    expect(container("worker").ports).toEqual([
      { name: "http", containerPort: 9000, protocol: "TCP" },
    ]);
  });
});

describe("Service: autoscaling and disruption", () => {
  it("scales the Deployment on CPU between the configured bounds, damping scale-down", () => {
    const hpa = spec("autoscaling/v2:HorizontalPodAutoscaler", "web-autoscaler");
    expect(hpa).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 3,
      maxReplicas: 6,
      metrics: [
        {
          type: "Resource",
          resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } },
        },
      ],
    });
    expect(hpa.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it.each([
    ["web", 2],
    ["api", 1],
    ["worker", 0],
  ] as const)(
    "%s: its budget keeps all but one of the HPA minimum (minAvailable %i)",
    (name, min) => {
      const pdb = spec("policy/v1:PodDisruptionBudget", `${name}-disruption-budget`);
      expect(pdb).toMatchObject({ minAvailable: min, unhealthyPodEvictionPolicy: "AlwaysAllow" });
      expect(pdb.minAvailable + 1).toBeLessThanOrEqual(SETTINGS[name].minReplicas);
    },
  );
});

describe("Service: exposure", () => {
  const svc = (name: Name) => k8s("core/v1:Service", `${name}-service`);

  it("is a ClusterIP Service, without NLB annotations, when not exposed", () => {
    expect((svc("worker").inputs.spec as Json).type).toBe("ClusterIP");
    expect((svc("worker").inputs.metadata as Json).annotations).toBeUndefined();
    expect(services.worker.url).toBeUndefined();
    expect(services.worker.internalUrl).toBe("http://worker.worker.svc.cluster.local:9000");
  });

  it.each([
    ["web", "internet-facing"],
    ["api", "internal"],
  ] as const)("%s: is an NLB with IP targets through the controller, scheme %s", (name, scheme) => {
    expect(svc(name).inputs.spec).toMatchObject({
      type: "LoadBalancer",
      loadBalancerClass: "service.k8s.aws/nlb",
    });
    expect((svc(name).inputs.metadata as Json).annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme,
    });
  });

  it("outputs the NLB hostname and an http URL on the service port", async () => {
    const hostname = await valueOf(services.web.hostname!);
    expect(hostname).toMatch(/^k8s-[0-9a-f]+\.elb\.us-east-1\.amazonaws\.com$/);
    expect(await valueOf(services.web.url!)).toBe(`http://${hostname}:8080`);
  });

  it.each(NAMES)(
    "%s: the Service depends on the controller release and the node groups (destroy order)",
    (name) => {
      const deps = svc(name).options.dependencies;
      expect(deps).toContain(controllerUrn);
      expect(deps).toContain(nodeGroupUrn);
    },
  );
});

describe("Service: rollout behind an NLB", () => {
  it.each([
    ["web", true],
    ["api", true],
    ["worker", false],
  ] as const)(
    "%s: the Deployment waits for the controller's webhook only when load balanced (%s)",
    (name, waits) => {
      const deps = k8s("apps/v1:Deployment", `${name}-deployment`).options.dependencies;
      expect(deps.includes(controllerUrn)).toBe(waits);
    },
  );
});

describe("Service: monitoring and wiring", () => {
  it("creates a ServiceMonitor only when asked and the service has metrics", () => {
    const monitors = ofType(resources, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
    expect(monitors.map((m) => m.name)).toEqual(["web-service-monitor"]);
    expect(monitors[0]?.inputs.spec).toMatchObject({
      selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
      endpoints: [{ port: "http", path: "/metrics" }],
    });
    expect(monitors[0]?.options.dependencies).toContain(monitoringUrn);
  });

  it("creates every Kubernetes object with the cluster's provider, as children of the component", () => {
    const component = findResource(resources, "platform:k8s:Service", "web");
    const kids = childrenOf(resources, component).filter((r) => r.type.startsWith("kubernetes:"));
    expect(kids.length).toBeGreaterThanOrEqual(8);
    for (const kid of kids) expect(kid.provider).toContain("pulumi:providers:kubernetes::cluster");
  });
});

describe("validateServiceArgs", () => {
  const base = (): ServiceArgs => ({
    image: DIGEST,
    settings: SETTINGS.worker,
    clusterName: "c",
    provider: {} as ServiceArgs["provider"],
  });

  it("accepts valid arguments", async () => {
    const { validateServiceArgs } = await import("../../components/service");
    expect(validateServiceArgs("worker", base())).toEqual([]);
  });

  it("lists every problem with the field, the rule and the value", async () => {
    const { validateServiceArgs } = await import("../../components/service");
    const problems = validateServiceArgs("kube-system", {
      ...base(),
      image: "nginx:latest",
      settings: { ...SETTINGS.worker, minReplicas: 4, maxReplicas: 2, env: { PORT: "1" } },
      podSecurityVersion: "1.35",
    });
    expect(problems).toEqual([
      'name must not be a reserved namespace (default, kube-system, kube-public, kube-node-lease, monitoring, host-agents); got "kube-system"',
      'image must be an image reference by digest: <registry>/<repository>@sha256:<64 hex>; got "nginx:latest"',
      'settings.minReplicas must be at least 1 and at most maxReplicas; got {"minReplicas":4,"maxReplicas":2}',
      'settings.env must not set PORT: the platform sets it from the settings; got "1"',
      'podSecurityVersion must be "latest" or a minor version such as "v1.35"; got "1.35"',
    ]);
  });

  it.each([80, 1023, 65536])(
    "rejects port %d, outside 1024 to 65535 (a non-root container cannot bind lower ports)",
    async (port) => {
      const { validateServiceArgs } = await import("../../components/service");
      expect(
        validateServiceArgs("worker", { ...base(), settings: { ...SETTINGS.worker, port } }),
      ).toEqual([
        `settings.port must be 1024 to 65535 (a non-root container cannot bind lower ports); got ${port}`,
      ]);
    },
  );

  it("accepts the lowest unprivileged port, 1024", async () => {
    const { validateServiceArgs } = await import("../../components/service");
    const settings = { ...SETTINGS.worker, port: 1024 };
    expect(validateServiceArgs("worker", { ...base(), settings })).toEqual([]);
  });

  it("asks for the IAM role name when the service gets AWS permissions", async () => {
    const { validateServiceArgs } = await import("../../components/service");
    expect(validateServiceArgs("web", { ...base(), settings: SETTINGS.web })).toEqual([
      "awsRoleName must name the service's IAM role when settings.awsPolicyArns or secrets are set (lib/naming.ts serviceRoleName); got undefined",
    ]);
  });

  it("asks for the front door's IngressClass when the service is exposed over HTTP", async () => {
    const { validateServiceArgs } = await import("../../components/service");
    const settings = serviceSchema.parse({ expose: "internet" });
    expect(validateServiceArgs("site", { ...base(), settings })).toEqual([
      "ingress must name the front door's IngressClass when the service is exposed over HTTP (settings.protocol http, expose internet); got undefined",
    ]);
  });

  it("asks for the EKS cluster when the service gets AWS permissions (none on a kubeconfig cluster)", async () => {
    const { validateServiceArgs } = await import("../../components/service");
    const args = { ...base(), settings: SETTINGS.web, awsRoleName: "r", clusterName: undefined };
    expect(validateServiceArgs("web", args)).toEqual([
      "clusterName must name the EKS cluster when settings.awsPolicyArns or secrets are set (Pod Identity); got undefined",
    ]);
    expect(validateServiceArgs("worker", { ...base(), clusterName: undefined })).toEqual([]);
  });

  it("throws before registering anything", async () => {
    const { Service } = await import("../../components/service");
    expect(() => new Service("Bad_Name", base())).toThrow(
      'invalid Service "Bad_Name" arguments:\n  - name must be a DNS label',
    );
  });
});
