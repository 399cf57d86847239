import { clusterStub } from "./cluster-stub";
import type { Service } from "../../components/service";
import { serviceSchema } from "../../config/schema";
import { restrictedViolations } from "../../policy/rules/pod-security";
import { RecordedResource, findResource, ofType, useMocks, valueOf } from "../harness";

// Recorded inputs are untyped JSON; the tests read them by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

// web calls api; api reads a secret the stack generates (as a variable and a file) and a key
// of a customer-encrypted JSON secret; batch neither calls nor is called.
const DB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbC123";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const DIGEST = `123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-test/app@sha256:${"a".repeat(64)}`;

let resources: RecordedResource[];
let done: () => Promise<void>;
let services: Record<"web" | "api" | "batch", Service>;
let generatedArn: string;
let urns: Record<"driver" | "provider" | "nodes", string>;

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const { Service } = await import("../../components/service");
  const { SecretsDelivery } = await import("../../components/platform");
  const { GeneratedSecret } = await import("../../components/generated-secret");
  const { provider, nodeGroup } = await clusterStub();

  const delivery = new SecretsDelivery("secrets-delivery", { provider, requires: [nodeGroup] });
  const generated = new GeneratedSecret("platform-test-api-token", {
    namePrefix: "platform-test/api-token-",
    recoveryWindowDays: 7,
  });
  const common = {
    image: DIGEST,
    clusterName: "platform-test",
    provider,
    region: "us-east-1",
    secretsDependsOn: delivery.releases,
  };
  services = {
    web: new Service("web", {
      ...common,
      settings: serviceSchema.parse({ expose: "internet", protocol: "tcp", calls: ["api"] }),
      callees: [{ name: "api", port: 9000 }],
    }),
    api: new Service("api", {
      ...common,
      settings: serviceSchema.parse({ port: 9000 }),
      callers: ["web"],
      awsRoleName: "platform-test-svc-api",
      secrets: [
        { target: "API_TOKEN", arn: generated.arn },
        { target: "/secrets/api-token", arn: generated.arn },
        { target: "DB_PASSWORD", arn: DB, key: "password", kmsKeyArn: KEY },
      ],
    }),
    batch: new Service("batch", { ...common, settings: serviceSchema.parse({}) }),
  };
  generatedArn = await valueOf(generated.arn);
  await Promise.all(Object.values(services).map((s) => valueOf(s.namespace)));
  await new Promise((resolve) => setTimeout(resolve, 50));
  urns = {
    driver: await valueOf(delivery.driverRelease.urn),
    provider: await valueOf(delivery.providerRelease.urn),
    nodes: await valueOf(nodeGroup.urn),
  };
});
afterAll(() => done());

const k8s = (type: string, name: string) => findResource(resources, `kubernetes:${type}`, name);
const policy = (name: string) =>
  k8s("networking.k8s.io/v1:NetworkPolicy", name).inputs.spec as Json;
const pod = (name: string) =>
  (k8s("apps/v1:Deployment", `${name}-deployment`).inputs.spec as Json).template;
const pods = (name: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
  podSelector: { matchLabels: { "app.kubernetes.io/name": name } },
});

describe("Calling another service", () => {
  it("the caller may reach the callee's pods on the callee's port, and nothing more in the cluster", () => {
    expect(policy("web-calls")).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "web" } },
      policyTypes: ["Egress"],
      egress: [{ to: [pods("api")], ports: [{ port: 9000, protocol: "TCP" }] }],
    });
  });

  it("the callee admits its port from its declared callers only", () => {
    expect(policy("api-calls")).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [pods("web")], ports: [{ port: 9000, protocol: "TCP" }] }],
    });
    // Its own policy no longer admits any namespace: Prometheus only, no NLB here.
    expect(policy("api-allow").ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
        ],
        ports: [{ port: 9000, protocol: "TCP" }],
      },
    ]);
  });

  it("a service nobody calls and that calls nobody gets no calls policy", () => {
    expect(
      ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.name),
    ).not.toContain("batch-calls");
  });

  it("the caller gets the callee's in-cluster URL as <CALLEE>_URL", () => {
    expect(pod("web").spec.containers[0].env).toContainEqual({
      name: "API_URL",
      value: "http://api.api.svc.cluster.local:9000",
    });
    expect(services.api.internalUrl).toBe("http://api.api.svc.cluster.local:9000");
  });
});

describe("Giving a service a secret", () => {
  const spc = () => k8s("secrets-store.csi.x-k8s.io/v1:SecretProviderClass", "api-secrets");

  it("declares the secrets in a SecretProviderClass: ARNs, the region, the pod's own identity", () => {
    const { metadata, spec } = spc().inputs as Json;
    expect(metadata).toMatchObject({ name: "secrets", namespace: "api" });
    expect(spec.provider).toBe("aws");
    expect(spec.parameters).toMatchObject({ region: "us-east-1", usePodIdentity: "true" });
    expect(JSON.parse(spec.parameters.objects)).toEqual([
      { objectName: generatedArn, objectAlias: "env.API_TOKEN" },
      { objectName: generatedArn, objectAlias: "api-token" },
      {
        objectName: DB,
        objectAlias: ".env.DB_PASSWORD.source",
        jmesPath: [{ path: '"password"', objectAlias: "env.DB_PASSWORD" }],
      },
    ]);
    expect(spec.secretObjects).toEqual([
      {
        secretName: "api-env-secrets",
        type: "Opaque",
        data: [
          { objectName: "env.API_TOKEN", key: "API_TOKEN" },
          { objectName: "env.DB_PASSWORD", key: "DB_PASSWORD" },
        ],
      },
    ]);
  });

  it("mounts them read-only at /secrets through the CSI driver and reads variables from the synced Secret", () => {
    const { spec } = pod("api");
    expect(spec.volumes).toContainEqual({
      name: "secrets",
      csi: {
        driver: "secrets-store.csi.k8s.io",
        readOnly: true,
        volumeAttributes: { secretProviderClass: "secrets" },
      },
    });
    expect(spec.containers[0].volumeMounts).toContainEqual({
      name: "secrets",
      mountPath: "/secrets",
      readOnly: true,
    });
    expect(spec.containers[0].env).toContainEqual({
      name: "DB_PASSWORD",
      valueFrom: { secretKeyRef: { name: "api-env-secrets", key: "DB_PASSWORD" } },
    });
    expect(JSON.stringify(pod("batch"))).not.toContain("secrets-store");
  });

  it("keeps the service's pod at the restricted Pod Security Standard", () => {
    const template = pod("api");
    expect(restrictedViolations(template.spec, template.metadata)).toEqual([]);
    const ns = k8s("core/v1:Namespace", "api-namespace").inputs.metadata as Json;
    expect(ns.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("lets the service's own role read exactly the listed secrets, and decrypt with their customer key through Secrets Manager only", () => {
    const inline = findResource(resources, "aws:iam/rolePolicy:RolePolicy", "api-aws-inline");
    const doc = JSON.parse(inline.inputs.policy as string);
    expect(doc.Statement).toEqual([
      {
        Sid: "ReadListedSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: [generatedArn, DB].sort(),
      },
      {
        Sid: "DecryptListedSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [KEY],
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
      },
    ]);
    const association = findResource(
      resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "api-aws",
    );
    expect(association.inputs).toMatchObject({ namespace: "api", serviceAccount: "api" });
    // The pods never call AWS for the secrets (ASCP does, as them): no Pod Identity Agent egress.
    expect(JSON.stringify(policy("api-allow").egress)).not.toContain("169.254.170.23");
  });

  it("creates no role for a service without secrets or AWS policies", () => {
    const roles = ofType(resources, "aws:iam/role:Role").map((r) => r.name);
    expect(roles).toContain("platform-test-svc-api");
    expect(services.web.roleArn).toBeUndefined();
    expect(services.batch.roleArn).toBeUndefined();
  });

  it("puts no secret value in any Kubernetes object, and keeps the generated one a Pulumi secret", () => {
    const version = findResource(
      resources,
      "aws:secretsmanager/secretVersion:SecretVersion",
      "platform-test-api-token-value",
    );
    // The engine receives the value wrapped as a secret (Pulumi's secret signature): it is
    // stored encrypted in state and shown as [secret].
    const envelope = version.inputs.secretString as Record<string, string>;
    expect(envelope["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
    const value = envelope.value!;
    expect(value).toMatch(/^[0-9a-f]{24}$/);
    const kubernetes = resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kubernetes.length).toBeGreaterThan(10);
    for (const r of kubernetes) expect(JSON.stringify(r.inputs)).not.toContain(value);
  });

  it("orders destroy: the pods and their SecretProviderClass go before the driver and the provider", () => {
    const deps = (r: RecordedResource) => r.options.dependencies ?? [];
    expect(deps(spc())).toEqual(expect.arrayContaining([urns.driver, urns.provider]));
    const deployment = k8s("apps/v1:Deployment", "api-deployment");
    expect(deps(deployment)).toEqual(
      expect.arrayContaining([spc().urn, urns.driver, urns.provider]),
    );
  });
});

describe("SecretsDelivery", () => {
  const release = (chart: string) =>
    ofType(resources, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === chart)!;

  it("installs the pinned driver with syncing, rotation and Pod Identity tokens, and the provider without a second driver", () => {
    expect(release("secrets-store-csi-driver").inputs).toMatchObject({
      version: "1.6.1",
      namespace: "kube-system",
      values: {
        syncSecret: { enabled: true },
        enableSecretRotation: true,
        rotationPollInterval: "10m",
        tokenRequests: [{ audience: "pods.eks.amazonaws.com" }],
      },
    });
    expect(release("secrets-store-csi-driver-provider-aws").inputs).toMatchObject({
      version: "3.1.1",
      namespace: "kube-system",
      values: { "secrets-store-csi-driver": { install: false } },
    });
  });

  it("needs what it is given first (nodes, egress) for both releases, and the driver before the provider", () => {
    const driver = release("secrets-store-csi-driver");
    const provider = release("secrets-store-csi-driver-provider-aws");
    expect(driver.options.dependencies).toContain(urns.nodes);
    expect(provider.options.dependencies).toEqual(expect.arrayContaining([urns.nodes, driver.urn]));
  });

  it("holds no AWS permission of its own: nothing in kube-system gets a Pod Identity association", () => {
    const associations = ofType(
      resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    ).map((a) => a.inputs.namespace);
    expect(associations).toEqual(["api"]);
  });

  it.each([
    ["30s", '"30s"'],
    ["2d", '"2d"'],
    ["", '""'],
  ])("refuses a rotation poll interval of %s", async (interval, shown) => {
    const { validateSecretsDeliveryArgs } = await import("../../components/platform");
    expect(
      validateSecretsDeliveryArgs({ provider: undefined!, rotationPollInterval: interval }),
    ).toEqual([
      `rotationPollInterval must be a duration from 1m to 24h such as "10m" (shorter polls cost API calls on every pod); got ${shown}`,
    ]);
  });
});

describe("Service link arguments", () => {
  it("needs the region with secrets, and never names itself as a peer", async () => {
    const { serviceLinkArgProblems } = await import("../../components/service-links");
    expect(
      serviceLinkArgProblems("api", {
        secrets: [{ target: "A", arn: DB }],
        callers: ["api"],
      }),
    ).toEqual([
      "region must be set when the service has secrets; got undefined",
      'callers and callees must not name the service itself; got "api"',
    ]);
  });

  it("checks secrets given in code as config would: target, ARN and key", async () => {
    const { serviceLinkArgProblems } = await import("../../components/service-links");
    expect(
      serviceLinkArgProblems("api", {
        region: "us-east-1",
        secrets: [{ target: "/etc/passwd", arn: "arn:aws:secretsmanager:*", key: "a || b" }],
      }),
    ).toEqual([
      'secrets target must be an environment variable name or /secrets/<file>; got "/etc/passwd"',
      'secrets arn must be a secret\'s full ARN; got "arn:aws:secretsmanager:*"',
      'secrets key must be a key of a JSON secret; got "a || b"',
    ]);
  });
});
