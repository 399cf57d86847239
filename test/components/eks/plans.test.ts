import {
  ACCESS_POLICIES,
  ADDON_PHASE,
  amiTypeFor,
  accessPolicyArn,
  controlPlaneLogGroupName,
  principalKey,
  resolveAddonVersions,
  secretsKeyPolicy,
} from "../../../components/eks";
import { partitionOf } from "../../../components/eks/args";
import { launchTemplateArgs } from "../../../components/eks/node-group";
import { INSTANCE_TYPES, architectureOf } from "../../../lib/instance-types";
import { ADDON_VERSIONS, EKS_ADDONS, SUPPORTED_KUBERNETES_VERSIONS } from "../../../lib/versions";
import { DEV } from "./fixtures";

describe("amiTypeFor", () => {
  it.each([
    [["t3.medium", "t3a.medium"], "AL2023_x86_64_STANDARD"],
    [["m6i.large"], "AL2023_x86_64_STANDARD"],
    [["t4g.medium"], "AL2023_ARM_64_STANDARD"],
    [["m7g.large", "c7g.large"], "AL2023_ARM_64_STANDARD"],
  ])("gives %j the %s AMI type", (types, ami) => {
    expect(amiTypeFor(types)).toBe(ami);
  });

  it("has an AMI type for every instance type the config accepts", () => {
    for (const t of Object.keys(INSTANCE_TYPES)) {
      expect(amiTypeFor([t])).toBe(
        architectureOf(t) === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
      );
    }
  });
});

describe("addon versions", () => {
  it.each(SUPPORTED_KUBERNETES_VERSIONS)("pins every addon for Kubernetes %s", (version) => {
    const pinned = ADDON_VERSIONS[version];
    expect(Object.keys(pinned).sort()).toEqual([...EKS_ADDONS].sort());
    for (const v of Object.values(pinned)) expect(v).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    // kube-proxy must match the control plane's minor version.
    expect(pinned["kube-proxy"].startsWith(`v${version}.`)).toBe(true);
  });

  it("uses the pinned versions unless overridden", () => {
    expect(resolveAddonVersions("1.35", {})).toEqual(ADDON_VERSIONS["1.35"]);
    expect(resolveAddonVersions("1.35", { coredns: "v1.14.3-eksbuild.3" })).toEqual({
      ...ADDON_VERSIONS["1.35"],
      coredns: "v1.14.3-eksbuild.3",
    });
  });

  it("installs DaemonSets nodes need before the node groups and Deployments after", () => {
    expect(ADDON_PHASE).toEqual({
      "vpc-cni": "beforeNodes",
      "kube-proxy": "beforeNodes",
      "eks-pod-identity-agent": "beforeNodes",
      coredns: "afterNodes",
      "aws-ebs-csi-driver": "afterNodes",
      "metrics-server": "afterNodes",
    });
  });
});

describe("names and ARNs", () => {
  it.each([
    ["us-east-1", "aws"],
    ["eu-west-1", "aws"],
    ["cn-north-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("puts %s in the %s partition", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it.each([
    ["arn:aws:iam::123456789012:role/PlatformAdmin", "123456789012-role-PlatformAdmin"],
    ["arn:aws:iam::123456789012:role/teams/dev/Developer", "123456789012-role-Developer"],
    ["arn:aws:iam::210987654321:user/alice@example.com", "210987654321-user-alice@example.com"],
  ])("keys the access entry of %s by account, kind and name", (arn, key) => {
    expect(principalKey(arn)).toBe(key);
  });

  it("grants admins the cluster admin policy and viewers the view policy (no Secrets)", () => {
    expect(ACCESS_POLICIES).toEqual({
      admin: "AmazonEKSClusterAdminPolicy",
      viewer: "AmazonEKSViewPolicy",
    });
    expect(accessPolicyArn("aws", "viewer")).toBe(
      "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    );
  });

  it("names the control-plane log group as EKS writes to it", () => {
    expect(controlPlaneLogGroupName("platform-prod")).toBe("/aws/eks/platform-prod/cluster");
  });
});

describe("secretsKeyPolicy", () => {
  it("lets the account root administer the key and the cluster role only use it", () => {
    const policy = JSON.parse(
      secretsKeyPolicy("aws", "123456789012", "arn:aws:iam::123456789012:role/cluster"),
    ) as { Statement: { Principal: { AWS: string }; Action: string | string[] }[] };
    expect(policy.Statement.map((s) => [s.Principal.AWS, s.Action])).toEqual([
      ["arn:aws:iam::123456789012:root", "kms:*"],
      [
        "arn:aws:iam::123456789012:role/cluster",
        ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"],
      ],
    ]);
  });
});

describe("launchTemplateArgs", () => {
  it("sets nothing a managed node group forbids in its launch template", () => {
    const args = launchTemplateArgs(DEV.nodeGroups.general!, {
      displayName: "platform-dev-general",
      securityGroupId: "sg-1",
      tags: {},
    });
    const text = JSON.stringify(args);
    for (const forbidden of [
      "subnetId",
      "iamInstanceProfile",
      "instanceInitiatedShutdownBehavior",
    ]) {
      expect(text).not.toContain(forbidden);
    }
    // Instance types belong to the node group, so SPOT can use several.
    expect(args.instanceType).toBeUndefined();
    expect(args.imageId).toBeUndefined();
  });
});
