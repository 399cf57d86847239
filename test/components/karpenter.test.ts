import { clusterStub } from "./cluster-stub";
import * as fs from "fs";
import * as path from "path";
import type { Karpenter, KarpenterArgs } from "../../components/platform";
import { DEFAULT_NODE_POOLS } from "../../config/node-pools";
import { CHARTS } from "../../lib/charts";
import { renderPolicy } from "../../lib/karpenter";
import { RecordedResource, findResource, ofType, useMocks, valueOf } from "../harness";

// Recorded inputs are untyped JSON; the tests read them by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const POLICIES = path.join(__dirname, "../../components/platform/policies");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(POLICIES, file), "utf8"));

let resources: RecordedResource[];
let done: () => Promise<void>;
let karpenter: Karpenter;
let nodeGroupUrn: string;
let nodeRoleArn: string;
let args: KarpenterArgs;

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const { Karpenter } = await import("../../components/platform");
  const { provider, nodeGroup } = await clusterStub();
  args = {
    clusterName: "platform-test",
    region: "us-east-1",
    nodeSecurityGroupId: "sg-0cluster",
    provider,
    namePrefix: "platform-test",
    nodePools: DEFAULT_NODE_POOLS,
    amiAlias: "al2023@v20260903",
    replicas: 2,
    requires: [nodeGroup],
    tags: { "pulumi:stack": "test" },
  };
  karpenter = new Karpenter("karpenter", args);
  [nodeRoleArn] = await Promise.all([valueOf(karpenter.nodeRoleArn), valueOf(karpenter.queueName)]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  nodeGroupUrn = await valueOf(nodeGroup.urn);
});
afterAll(() => done());

const policies = () =>
  Object.fromEntries(
    ofType(resources, "aws:iam/policy:Policy").map((p) => [
      p.name.replace("platform-test-karpenter-", ""),
      JSON.parse(p.inputs.policy as string),
    ]),
  );
const statement = (policy: string, sid: string) =>
  policies()[policy].Statement.find((s: Json) => s.Sid === sid);

describe("the Karpenter controller's permissions", () => {
  it("are the five upstream policies, every CloudFormation reference filled in", () => {
    expect(Object.keys(policies()).sort()).toEqual([
      "eks-integration",
      "iam-integration",
      "interruption",
      "node-lifecycle",
      "resource-discovery",
    ]);
    for (const p of ofType(resources, "aws:iam/policy:Policy")) {
      expect(p.inputs.policy).not.toContain("${");
    }
  });

  it("launch, tag and terminate only what carries this cluster's tags", () => {
    expect(statement("node-lifecycle", "AllowScopedEC2InstanceActionsWithTags").Condition).toEqual({
      StringEquals: {
        "aws:RequestTag/kubernetes.io/cluster/platform-test": "owned",
        "aws:RequestTag/eks:eks-cluster-name": "platform-test",
      },
      StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
    });
    expect(statement("node-lifecycle", "AllowScopedDeletion").Condition.StringEquals).toEqual({
      "aws:ResourceTag/kubernetes.io/cluster/platform-test": "owned",
    });
  });

  it("pass only the node role, read only its own queue and describe only its cluster", () => {
    expect(statement("iam-integration", "AllowPassingInstanceRole").Resource).toBe(nodeRoleArn);
    expect(statement("interruption", "AllowInterruptionQueueActions").Resource).toMatch(
      /^arn:aws:sqs:us-east-1:\d{12}:platform-test-karpenter/,
    );
    expect(statement("eks-integration", "AllowAPIServerEndpointDiscovery").Resource).toBe(
      "arn:aws:eks:us-east-1:123456789012:cluster/platform-test",
    );
  });

  it("reach the controller through Pod Identity, for kube-system/karpenter only", () => {
    const association = ofType(
      resources,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    ).find((a) => a.inputs.serviceAccount === "karpenter");
    expect(association?.inputs).toMatchObject({
      clusterName: "platform-test",
      namespace: "kube-system",
    });
    const role = ofType(resources, "aws:iam/role:Role").find((r) =>
      r.name.startsWith("platform-test-karpenter"),
    );
    expect(JSON.parse(role!.inputs.assumeRolePolicy as string).Statement[0].Condition).toEqual({
      StringEquals: {
        "aws:RequestTag/eks-cluster-name": "platform-test",
        "aws:RequestTag/kubernetes-namespace": "kube-system",
        "aws:RequestTag/kubernetes-service-account": "karpenter",
      },
    });
    expect(
      ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) =>
        a.name.startsWith("karpenter-controller"),
      ),
    ).toHaveLength(5);
  });

  it("come from a data file at the version the chart installs", () => {
    expect(readJson("karpenter-controller.meta.json").controllerVersion).toBe(
      CHARTS.karpenter.appVersion,
    );
    expect(CHARTS.karpenterCrd.version).toBe(CHARTS.karpenter.version);
  });

  it("refuse to render a reference the upstream file gained", () => {
    const v = {
      partition: "aws",
      region: "us-east-1",
      accountId: "1",
      clusterName: "c",
      nodeRoleArn: "r",
      queueArn: "q",
    };
    expect(() => renderPolicy({ Resource: "${KarpenterNewThing.Arn}" }, v)).toThrow(
      "unknown reference ${KarpenterNewThing.Arn} in a Karpenter policy",
    );
  });
});

describe("the Karpenter controller", () => {
  const values = () =>
    findResource(resources, "kubernetes:helm.sh/v3:Release", "karpenter").inputs.values as Json;

  it("is told the cluster, the interruption queue and the region (IMDS is closed to pods)", () => {
    expect(values().settings).toEqual({
      clusterName: "platform-test",
      interruptionQueue: expect.stringMatching(/^platform-test-karpenter/),
    });
    expect(values().controller.env).toEqual([{ name: "AWS_REGION", value: "us-east-1" }]);
  });

  it("runs the replicas asked for, one per node, with a PodDisruptionBudget", () => {
    expect(values()).toMatchObject({ replicas: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    expect(
      values().affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution,
    ).toEqual([{ topologyKey: "kubernetes.io/hostname" }]);
  });

  it("starts after the nodes it runs on, its CRDs, its identity and its queue wiring", () => {
    const deps = findResource(resources, "kubernetes:helm.sh/v3:Release", "karpenter").options
      .dependencies;
    const urnOf = (type: string, name: string) => findResource(resources, type, name).urn;
    expect(deps).toEqual(
      expect.arrayContaining([
        nodeGroupUrn,
        urnOf("kubernetes:helm.sh/v3:Release", "karpenter-crd"),
        urnOf("aws:eks/podIdentityAssociation:PodIdentityAssociation", "karpenter-controller"),
        urnOf("aws:sqs/queuePolicy:QueuePolicy", "karpenter-interruption"),
        urnOf("aws:cloudwatch/eventTarget:EventTarget", "karpenter-spot-interruption"),
      ]),
    );
  });

  it("has an interruption queue only EventBridge writes to, over TLS", () => {
    const policy = JSON.parse(
      findResource(resources, "aws:sqs/queuePolicy:QueuePolicy", "karpenter-interruption").inputs
        .policy as string,
    );
    // Upstream's pair (Karpenter's getting-started CloudFormation), and nothing else.
    expect(policy.Statement[0].Principal.Service).toEqual([
      "events.amazonaws.com",
      "sqs.amazonaws.com",
    ]);
    expect(policy.Statement[1]).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });
});

describe("Karpenter's arguments", () => {
  it("are checked before anything is created, every problem at once", async () => {
    const { Karpenter } = await import("../../components/platform");
    expect(
      () =>
        new Karpenter("bad", { ...args, replicas: 0, nodePools: {}, amiAlias: "al2023@latest" }),
    ).toThrow(
      [
        "invalid Karpenter arguments:",
        "  - replicas must be a whole number from 1 to 3; got 0",
        "  - nodePools must define at least one NodePool",
        '  - amiAlias must be an AL2023 alias pinned to a release; got "al2023@latest"',
      ].join("\n"),
    );
  });
});
