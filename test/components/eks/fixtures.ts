import type { EksClusterArgs, NodeGroupArgs } from "../../../components/eks";
import type { RecordedResource } from "../../harness";
import { childrenOf, findResource } from "../../harness";

/** The account the mocks run in and the role the deployer's session comes from (tools/mocks.ts). */
export const ACCOUNT = "123456789012";
export const DEPLOYER_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/PlatformDeployer`;

const TAGS = { "pulumi:project": "platform", "managed-by": "pulumi", team: "platform" };

/** Pulumi.dev.yaml's cluster settings: spot nodes of two types, no protection, world-open API. */
export const DEV: EksClusterArgs = {
  clusterName: "platform-dev",
  version: "1.35",
  upgradePolicy: "STANDARD",
  logTypes: ["api", "audit", "authenticator"],
  logRetentionDays: 30,
  subnetIds: ["subnet-private-a", "subnet-private-b"],
  endpointPublicAccess: true,
  publicAccessCidrs: ["0.0.0.0/0"],
  allowWorldOpenEndpoint: true,
  deletionProtection: false,
  protection: { protect: false },
  kmsDeletionWindowDays: 7,
  admins: [],
  viewers: [],
  nodeGroups: {
    general: {
      instanceTypes: ["t3.medium", "t3a.medium"],
      capacityType: "SPOT",
      minSize: 1,
      desiredSize: 2,
      maxSize: 3,
      diskSizeGiB: 50,
      maxUnavailablePercent: 33,
      labels: {},
      taints: [],
    },
  },
  addonVersions: {},
  kubeconfigProfile: "",
  kubeconfigRoleArn: "",
  region: "us-east-1",
  tags: { ...TAGS, "pulumi:stack": "dev" },
};

/** Pulumi.prod.yaml's cluster settings: on-demand nodes, every log type, protected, admins listed. */
export const PROD: EksClusterArgs = {
  ...DEV,
  clusterName: "platform-prod",
  logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  logRetentionDays: 365,
  subnetIds: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
  publicAccessCidrs: ["203.0.113.0/24"],
  allowWorldOpenEndpoint: false,
  deletionProtection: true,
  protection: { protect: true },
  kmsDeletionWindowDays: 30,
  admins: [`arn:aws:iam::${ACCOUNT}:role/PlatformAdmin`],
  viewers: [`arn:aws:iam::${ACCOUNT}:role/teams/Developer`],
  nodeGroups: {
    general: {
      ...(DEV.nodeGroups.general as NodeGroupArgs),
      instanceTypes: ["m6i.large"],
      capacityType: "ON_DEMAND",
      minSize: 3,
      desiredSize: 3,
      maxSize: 9,
    },
  },
  tags: { ...TAGS, "pulumi:stack": "prod" },
};

/** The resource types this component creates. */
export const T = {
  cluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  addon: "aws:eks/addon:Addon",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  association: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  k8sProvider: "pulumi:providers:kubernetes",
  component: "platform:eks:Cluster",
} as const;

/** The children of one EksCluster component. */
export function childrenOfCluster(
  resources: readonly RecordedResource[],
  name: string,
): RecordedResource[] {
  return childrenOf(resources, findResource(resources, T.component, name));
}

// How a recorded input marks a secret (@pulumi/pulumi runtime/rpc specialSigKey, specialSecretSig).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True when a recorded input was registered as a secret. */
export function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** A recorded value with Pulumi's secret wrapper removed. */
export function plain<V = unknown>(value: unknown): V {
  return (isSecret(value) ? (value as { value: unknown }).value : value) as V;
}

/** The URNs of resources, to check `dependencies`. */
export const urns = (rs: readonly RecordedResource[]) => rs.map((r) => r.urn);

/** Parses a JSON policy input. */
export function policyOf(r: RecordedResource, key: string) {
  return JSON.parse(plain<string>(r.inputs[key])) as {
    Statement: {
      Sid?: string;
      Effect: string;
      Principal: { AWS?: string; Service?: string };
      Action: string | string[];
    }[];
  };
}
