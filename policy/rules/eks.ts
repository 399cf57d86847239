import { isWorldOpen } from "../../lib/cidr";
import { SUPPORTED_KUBERNETES_VERSIONS, UpgradePolicy } from "../../lib/versions";
import { Enforcement, MANDATORY_IN_PRODUCTION, PolicySubject, Rule, Severity } from "./types";
import { field, ofType, opensToWorld, strings } from "./util";

const CLUSTER = "aws:eks/cluster:Cluster";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** Control-plane log types every cluster sends to CloudWatch Logs, at least. */
export const REQUIRED_CLUSTER_LOG_TYPES = ["api", "audit", "authenticator"] as const;

/** The log group EKS writes control-plane logs to; created by EKS, never expiring, unless we own it. */
export function controlPlaneLogGroup(cluster: PolicySubject): string {
  const name = field(cluster, "name");
  return `/aws/eks/${typeof name === "string" ? name : cluster.name}/cluster`;
}

/** Rules for the EKS control plane and log groups. */
export const eksRules: readonly Rule[] = [
  {
    id: "eks-secrets-encryption",
    description: "Kubernetes secrets are envelope-encrypted with a customer KMS key",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [CLUSTER],
    scope: "resource",
    check(r) {
      const config = field(r, "encryptionConfig") as Record<string, unknown> | undefined;
      const resources = strings(config?.resources);
      const key = (config?.provider as { keyArn?: unknown } | undefined)?.keyArn;
      if (!resources.includes("secrets"))
        return 'encryptionConfig.resources does not include "secrets"';
      return typeof key === "string" && key !== ""
        ? undefined
        : "encryptionConfig.provider.keyArn is not set";
    },
  },
  {
    id: "eks-control-plane-logs",
    description: `The control plane sends at least the ${REQUIRED_CLUSTER_LOG_TYPES.join(", ")} logs to CloudWatch Logs`,
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [CLUSTER],
    scope: "resource",
    check(r) {
      const enabled = strings(field(r, "enabledClusterLogTypes"));
      const missing = REQUIRED_CLUSTER_LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length === 0
        ? undefined
        : `enabledClusterLogTypes lacks ${missing.join(", ")}`;
    },
  },
  {
    id: "eks-control-plane-log-retention",
    description:
      "The control-plane log group is created by the stack with a retention, before EKS creates it with none (logs kept forever)",
    severity: Severity.Low,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [CLUSTER],
    scope: "stack",
    check(r, { resources }) {
      const expected = controlPlaneLogGroup(r);
      const group = ofType(resources, LOG_GROUP).find((g) => field(g, "name") === expected);
      return group ? undefined : `no aws.cloudwatch.LogGroup named ${expected}`;
    },
  },
  {
    id: "log-group-retention",
    description:
      "Every CloudWatch log group sets a retention, so logs neither vanish nor cost forever",
    severity: Severity.Low,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [LOG_GROUP],
    scope: "resource",
    check(r) {
      const days = field(r, "retentionInDays");
      return typeof days === "number" && days > 0
        ? undefined
        : "retentionInDays is not set: the logs never expire";
    },
  },
  {
    id: "eks-endpoint-not-world-open",
    description:
      "The public API endpoint, when enabled, is limited to listed CIDR blocks, never 0.0.0.0/0 (mandatory in production; advisory elsewhere, where config may open it)",
    severity: Severity.High,
    enforcement: MANDATORY_IN_PRODUCTION,
    resourceTypes: [CLUSTER],
    scope: "resource",
    check(r) {
      if (field(r, "vpcConfig.endpointPublicAccess") === false) return undefined;
      const cidrs = strings(field(r, "vpcConfig.publicAccessCidrs"));
      if (cidrs.length === 0) {
        return "the public endpoint is on and publicAccessCidrs is empty, which AWS reads as 0.0.0.0/0";
      }
      if (opensToWorld(cidrs)) return "publicAccessCidrs includes 0.0.0.0/0";
      // Slices such as 0.0.0.0/1 plus 128.0.0.0/1 open it just as wide.
      return isWorldOpen(cidrs)
        ? `publicAccessCidrs ${JSON.stringify(cidrs)} together cover every IPv4 address`
        : undefined;
    },
  },
  {
    id: "eks-authentication-mode-api",
    description:
      "Cluster access is granted by EKS access entries only (authenticationMode API), not the aws-auth ConfigMap, so IAM, CloudTrail and Pulumi see every grant",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [CLUSTER],
    scope: "resource",
    check(r) {
      const mode = field(r, "accessConfig.authenticationMode");
      return mode === "API"
        ? undefined
        : `accessConfig.authenticationMode is ${JSON.stringify(mode ?? "CONFIG_MAP (the default)")}; set it to "API"`;
    },
  },
  {
    id: "eks-supported-version",
    description: `The cluster runs a Kubernetes version this project supports (lib/versions.ts: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [CLUSTER],
    scope: "resource",
    check(r) {
      const v = field(r, "version");
      return typeof v === "string" && (SUPPORTED_KUBERNETES_VERSIONS as string[]).includes(v)
        ? undefined
        : `version is ${JSON.stringify(v ?? "unset (EKS picks one)")}; use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`;
    },
  },
  {
    id: "eks-standard-support",
    description:
      "The cluster uses the STANDARD upgrade policy: EXTENDED (the default when unset) costs $0.60 an hour instead of $0.10 once a version leaves standard support (advisory: a stack may choose to pay for time)",
    severity: Severity.Low,
    enforcement: Enforcement.Advisory,
    resourceTypes: [CLUSTER],
    scope: "resource",
    check(r) {
      const t = field(r, "upgradePolicy.supportType");
      return t === UpgradePolicy.Standard
        ? undefined
        : `upgradePolicy.supportType is ${JSON.stringify(t ?? "unset (EXTENDED)")}`;
    },
  },
];
