import type { EksCluster, EksClusterArgs } from "../../../components/eks";
import { STATEFUL_TYPES } from "../../../lib/protection";
import { ADDON_VERSIONS } from "../../../lib/versions";
import { RecordedResource, findResource, ofType, useMocks, valueOf } from "../../harness";
import { ACCOUNT, DEPLOYER_ROLE_ARN, PROD, T, childrenOfCluster } from "./fixtures";

/** Prod settings with a Graviton system group, a laptop profile and role, and older addons. */
const GRAVITON: EksClusterArgs = {
  ...PROD,
  clusterName: "platform-arm",
  version: "1.34",
  admins: [DEPLOYER_ROLE_ARN],
  viewers: [],
  nodeGroups: {
    system: {
      instanceTypes: ["t4g.medium", "m7g.large"],
      capacityType: "ON_DEMAND",
      minSize: 2,
      desiredSize: 2,
      maxSize: 4,
      diskSizeGiB: 80,
      maxUnavailablePercent: 50,
      labels: { "node-role": "system" },
      taints: [
        { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" },
        { key: "dedicated", effect: "PREFER_NO_SCHEDULE" },
      ],
    },
  },
  kubeconfigProfile: "platform-prod",
  kubeconfigRoleArn: `arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`,
  addonVersions: { "vpc-cni": "v1.22.0-eksbuild.1" },
};

let resources: RecordedResource[];
let done: () => Promise<void>;
let clusters: Record<"prod" | "arm", EksCluster>;
let notes: Record<"prod" | "arm", string>;
let warnings: jest.SpyInstance;

beforeAll(async () => {
  // Pulumi's log under the mocks goes to the console.
  warnings = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  ({ resources, done } = await useMocks({ stack: "prod" }));
  const { EksCluster } = await import("../../../components/eks");
  const pulumi = await import("@pulumi/pulumi");
  // The Vpc component hands its private subnets over as one Output.
  const subnetIds = pulumi.output(["subnet-private-a", "subnet-private-b", "subnet-private-c"]);
  clusters = {
    prod: new EksCluster("prod", PROD),
    arm: new EksCluster("arm", { ...GRAVITON, subnetIds }),
  };
  notes = {
    prod: await valueOf(clusters.prod.adminAccessNote),
    arm: await valueOf(clusters.arm.adminAccessNote),
  };
  await valueOf(clusters.arm.kubeconfig);
  await new Promise((resolve) => setTimeout(resolve, 100));
});
afterAll(async () => {
  warnings.mockRestore();
  await done();
});

const kidsOf = (name: "prod" | "arm") => childrenOfCluster(resources, name);
const one = (name: "prod" | "arm", type: string, child: string) =>
  findResource(kidsOf(name), type, child);

describe("EksCluster, prod settings", () => {
  it("turns on EKS deletion protection", () => {
    expect(one("prod", T.cluster, "prod-cluster").inputs.deletionProtection).toBe(true);
  });

  it("protects the KMS key, the log group, the cluster and the node groups, and nothing else", () => {
    const protectedTypes = kidsOf("prod")
      .filter((r) => r.options.protect)
      .map((r) => r.type)
      .sort();
    expect(protectedTypes).toEqual([T.logGroup, T.cluster, T.nodeGroup, T.key].sort());
    for (const type of protectedTypes) {
      expect(STATEFUL_TYPES as readonly string[]).toContain(type);
    }
  });

  it("sends all five control-plane log types to a log group kept 365 days", () => {
    expect(one("prod", T.cluster, "prod-cluster").inputs.enabledClusterLogTypes).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    expect(one("prod", T.logGroup, "prod-control-plane").inputs.retentionInDays).toBe(365);
  });

  it("keeps a deleted secrets key for 30 days", () => {
    expect(one("prod", T.key, "prod-secrets").inputs.deletionWindowInDays).toBe(30);
  });

  it("opens the public endpoint to the office range only, over three AZs' subnets", () => {
    expect(one("prod", T.cluster, "prod-cluster").inputs.vpcConfig).toEqual({
      subnetIds: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
  });

  it("runs ON_DEMAND m6i.large nodes, 3/3/9, still ignoring desiredSize drift", () => {
    const group = one("prod", T.nodeGroup, "prod-general");
    expect(group.inputs).toMatchObject({
      capacityType: "ON_DEMAND",
      instanceTypes: ["m6i.large"],
      amiType: "AL2023_x86_64_STANDARD",
      scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 9 },
    });
    expect(group.options.ignoreChanges).toEqual(["scalingConfig.desiredSize"]);
  });

  it("grants cluster admin to the configured admins and read-only access to viewers, not to the deployer", () => {
    const entries = ofType(kidsOf("prod"), T.association).map((a) => [
      a.name,
      a.inputs.principalArn,
      a.inputs.policyArn,
      a.inputs.accessScope,
    ]);
    expect(entries).toEqual([
      [
        "prod-admin-123456789012-role-PlatformAdmin",
        PROD.admins![0],
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        { type: "cluster" },
      ],
      [
        "prod-viewer-123456789012-role-Developer",
        PROD.viewers![0],
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        { type: "cluster" },
      ],
    ]);
    expect(ofType(kidsOf("prod"), T.accessEntry)).toHaveLength(2);
  });

  it("warns in the deployment log and the admin note that the deployer cannot deploy into the cluster", () => {
    expect(warnings.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining(`The deploying identity ${DEPLOYER_ROLE_ARN} is not one of them`),
    ]);
    expect(notes.prod).toBe(
      `Cluster admin is granted to the 1 configured principal. The deploying identity ${DEPLOYER_ROLE_ARN} is not one of them, so deploying Kubernetes resources will be refused; add it to the admins.`,
    );
  });
});

describe("EksCluster, a Graviton group with a laptop profile and role", () => {
  it("takes the private subnets as one Output, as the Vpc component gives them", () => {
    const subnets = ["subnet-private-a", "subnet-private-b", "subnet-private-c"];
    expect(one("arm", T.nodeGroup, "arm-system").inputs.subnetIds).toEqual(subnets);
    expect(one("arm", T.cluster, "arm-cluster").inputs.vpcConfig).toMatchObject({
      subnetIds: subnets,
    });
  });

  it("uses the arm64 AL2023 AMI for Graviton instance types", () => {
    expect(one("arm", T.nodeGroup, "arm-system").inputs.amiType).toBe("AL2023_ARM_64_STANDARD");
  });

  it("applies the group's labels, taints, disk size and update percentage", () => {
    const group = one("arm", T.nodeGroup, "arm-system");
    expect(group.inputs).toMatchObject({
      labels: { "node-role": "system" },
      taints: [
        { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" },
        { key: "dedicated", effect: "PREFER_NO_SCHEDULE" },
      ],
      updateConfig: { maxUnavailablePercentage: 50 },
    });
    const lt = one("arm", T.launchTemplate, "arm-system");
    expect(lt.inputs.blockDeviceMappings).toEqual([
      expect.objectContaining({ ebs: expect.objectContaining({ volumeSize: 80 }) }),
    ]);
  });

  it("pins addons for its Kubernetes version, with the configured override", () => {
    const versions = Object.fromEntries(
      ofType(kidsOf("arm"), T.addon).map((a) => [a.inputs.addonName, a.inputs.addonVersion]),
    );
    expect(versions).toEqual({ ...ADDON_VERSIONS["1.34"], "vpc-cni": "v1.22.0-eksbuild.1" });
  });

  it("puts the profile (AWS_PROFILE) and role (--role-arn) in the kubeconfig and the command", async () => {
    const exec = (
      JSON.parse(await valueOf(clusters.arm.kubeconfig)) as {
        users: { user: { exec: { args: string[]; env: unknown } } }[];
      }
    ).users[0]?.user.exec;
    expect(exec?.env).toEqual([{ name: "AWS_PROFILE", value: "platform-prod" }]);
    expect(exec?.args).toEqual(
      expect.arrayContaining(["--role-arn", `arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`]),
    );
    expect(clusters.arm.updateKubeconfigCommand).toBe(
      `aws eks update-kubeconfig --name platform-arm --region us-east-1 --profile platform-prod --role-arn arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`,
    );
  });

  it("does not warn when the deployer is one of the admins", () => {
    expect(notes.arm).toBe("Cluster admin is granted to the 1 configured principal.");
  });
});
