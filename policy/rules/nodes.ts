import { Enforcement, Rule, Severity } from "./types";
import { field, isTrue, objects } from "./util";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/** Rules for worker nodes: their launch templates and managed node groups. */
export const nodeRules: readonly Rule[] = [
  {
    id: "launch-template-imdsv2",
    description:
      "Launch templates require IMDSv2 session tokens, which blocks the SSRF-style credential theft IMDSv1 allows",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [LAUNCH_TEMPLATE],
    scope: "resource",
    check(r) {
      const tokens = field(r, "metadataOptions.httpTokens");
      return tokens === "required"
        ? undefined
        : `metadataOptions.httpTokens is ${JSON.stringify(tokens ?? "unset (optional)")}; set it to "required"`;
    },
  },
  {
    id: "launch-template-imds-hop-limit",
    description:
      "Launch templates set the IMDS hop limit to 1, so pods cannot borrow the node role. Sources disagree: AWS's EKS best practices guide recommends 1, while the EKS AMIs default to 2 for agents that read IMDS from pods; we choose 1 because workloads get AWS credentials from EKS Pod Identity and the load balancer controller is given its region and VPC id",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [LAUNCH_TEMPLATE],
    scope: "resource",
    check(r) {
      const hops = field(r, "metadataOptions.httpPutResponseHopLimit");
      return hops === 1
        ? undefined
        : `metadataOptions.httpPutResponseHopLimit is ${String(hops)}; set it to 1`;
    },
  },
  {
    id: "launch-template-encrypted-volumes",
    description: "Launch templates declare their EBS volumes, every one encrypted",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [LAUNCH_TEMPLATE],
    scope: "resource",
    check(r) {
      const ebs = objects(field(r, "blockDeviceMappings")).map(
        (m) => m.ebs as Record<string, unknown> | undefined,
      );
      if (ebs.length === 0)
        return "no blockDeviceMappings: the root volume takes the AMI's unencrypted default";
      const plain = ebs.filter((e) => !isTrue(e?.encrypted)).length;
      return plain === 0 ? undefined : `${plain} block device mapping(s) are not encrypted`;
    },
  },
  {
    id: "launch-template-no-public-ip",
    description: "Launch templates never associate a public IP address with a node",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [LAUNCH_TEMPLATE],
    scope: "resource",
    check(r) {
      return objects(field(r, "networkInterfaces")).some((n) => isTrue(n.associatePublicIpAddress))
        ? "a network interface sets associatePublicIpAddress"
        : undefined;
    },
  },
  {
    id: "node-group-launch-template",
    description:
      "Managed node groups use a launch template, so the IMDS, volume and network rules above apply to their nodes",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [NODE_GROUP],
    scope: "resource",
    check(r) {
      return field(r, "launchTemplate") === undefined
        ? "launchTemplate is not set: nodes get EKS defaults (IMDS hop limit 2, AMI volume settings)"
        : undefined;
    },
  },
];
