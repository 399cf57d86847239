import { showValue } from "../../config/errors";
import { CLUSTER_LOG_TYPES, LOG_RETENTION_DAYS } from "../../config/schema";
import { IAM_PRINCIPAL_ARN, ROLE_ARN } from "../../lib/arns";
import { isWorldOpen, parseCidr } from "../../lib/cidr";
import { architectureOf } from "../../lib/instance-types";
import { EKS_ADDONS, SUPPORTED_KUBERNETES_VERSIONS } from "../../lib/versions";
import { EksClusterArgs, NodeGroupArgs, withDefaults } from "./args";

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const NODE_GROUP_NAME = /^[a-z]([-a-z0-9]{0,22}[a-z0-9])?$/;

/**
 * Every problem with the args, one sentence each naming the field, the rule and the value;
 * empty when they are valid. Pure: runs before any resource exists.
 */
export function validateEksClusterArgs(input: EksClusterArgs): string[] {
  const args = withDefaults(input);
  const problems: string[] = [];
  const add = (field: string, rule: string, value: unknown) =>
    problems.push(`${field} ${rule}; got ${showValue(value)}`);

  if (!CLUSTER_NAME.test(args.clusterName)) {
    add(
      "clusterName",
      "must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit",
      args.clusterName,
    );
  }
  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(args.version)) {
    add(
      "version",
      `must be a supported Kubernetes version (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
      args.version,
    );
  }
  for (const t of args.logTypes) {
    if (!(CLUSTER_LOG_TYPES as readonly string[]).includes(t)) {
      add("logTypes", `must list only ${CLUSTER_LOG_TYPES.join(", ")}`, t);
    }
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logRetentionDays)) {
    add("logRetentionDays", "must be a CloudWatch Logs retention period", args.logRetentionDays);
  }
  const window = args.kmsDeletionWindowDays;
  if (!Number.isInteger(window) || window < 7 || window > 30) {
    add("kmsDeletionWindowDays", "must be an integer from 7 to 30", window);
  }
  // An Output's length is known only at deployment, where EKS itself checks it.
  if (Array.isArray(args.subnetIds) && args.subnetIds.length < 2) {
    add(
      "subnetIds",
      "must list private subnets in at least 2 AZs (EKS requires two)",
      args.subnetIds.length,
    );
  }
  problems.push(...endpointProblems(args));

  const groups = Object.entries(args.nodeGroups);
  if (groups.length === 0) add("nodeGroups", "must define at least one node group", {});
  for (const [name, group] of groups) problems.push(...nodeGroupProblems(name, group));
  // The Deployment addons are created after the node groups and EKS holds them DEGRADED until
  // a pod runs: with no node to start on, the first `pulumi up` times out on them after 20 min.
  if (groups.length > 0 && groups.every(([, group]) => group.desiredSize < 1)) {
    problems.push(
      `nodeGroups must start at least one group with desiredSize >= 1, for coredns, metrics-server and the EBS CSI controller to run on; got desiredSize ${groups.map(([, g]) => g.desiredSize).join(", ")}`,
    );
  }

  for (const addon of Object.keys(args.addonVersions)) {
    if (!(EKS_ADDONS as readonly string[]).includes(addon)) {
      add("addonVersions", `must name only known addons (${EKS_ADDONS.join(", ")})`, addon);
    }
  }
  for (const [field, list] of [
    ["admins", args.admins],
    ["viewers", args.viewers],
  ] as const) {
    list.forEach((arn, i) => {
      if (!IAM_PRINCIPAL_ARN.test(arn)) {
        add(
          `${field}[${i}]`,
          "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/Admin, not an assumed-role session",
          arn,
        );
      }
    });
  }
  for (const viewer of args.viewers.filter((v) => args.admins.includes(v))) {
    add("viewers", "must not repeat a principal that is already an admin", viewer);
  }
  for (const field of ["ciDeployRole", "ciPreviewRole"] as const) {
    const arn = args[field];
    if (arn !== "" && !ROLE_ARN.test(arn)) {
      add(field, "must be empty or an IAM role ARN such as arn:aws:iam::123456789012:role/ci", arn);
    }
  }
  return problems;
}

function endpointProblems(args: {
  readonly endpointPublicAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly allowWorldOpenEndpoint: boolean;
}): string[] {
  const { endpointPublicAccess: publicAccess, publicAccessCidrs: cidrs } = args;
  const problems: string[] = [];
  cidrs.forEach((c, i) => {
    const block = parseCidr(c);
    if (typeof block === "string")
      problems.push(`publicAccessCidrs[${i}] ${block}; got ${showValue(c)}`);
  });
  if (!publicAccess && cidrs.length > 0) {
    problems.push(
      `publicAccessCidrs must be empty when endpointPublicAccess is false; got ${showValue(cidrs)}`,
    );
  } else if (publicAccess && cidrs.length === 0) {
    problems.push(
      "publicAccessCidrs must list the CIDR blocks allowed to reach the public endpoint when endpointPublicAccess is true (EKS reads an empty list as 0.0.0.0/0); got []",
    );
  } else if (publicAccess && isWorldOpen(cidrs) && !args.allowWorldOpenEndpoint) {
    problems.push(
      `publicAccessCidrs must not open the public API endpoint to the whole internet unless allowWorldOpenEndpoint is true; got ${showValue(cidrs)}`,
    );
  }
  return problems;
}

/** Problems with one node group: its name, one CPU architecture, sizes in order. */
export function nodeGroupProblems(name: string, group: NodeGroupArgs): string[] {
  const at = `nodeGroups.${name}`;
  const problems: string[] = [];
  if (!NODE_GROUP_NAME.test(name)) {
    problems.push(
      `${at} must be named with lower-case letters, digits and '-' (at most 24, starting with a letter); got ${showValue(name)}`,
    );
  }
  if (group.instanceTypes.length === 0) {
    problems.push(`${at}.instanceTypes must list at least one instance type; got []`);
  }
  const arches = [...new Set(group.instanceTypes.map(architectureOf))];
  if (arches.length > 1) {
    const described = group.instanceTypes.map((t) => `${t} (${architectureOf(t)})`).join(", ");
    problems.push(
      `${at}.instanceTypes must all have one CPU architecture (Graviton types such as t4g or m7g are arm64; put them in their own group); got ${described}`,
    );
  }
  const { minSize, desiredSize, maxSize } = group;
  if (minSize > desiredSize || desiredSize > maxSize || maxSize < 1) {
    problems.push(
      `${at} must have minSize <= desiredSize <= maxSize and maxSize >= 1; got minSize ${minSize}, desiredSize ${desiredSize}, maxSize ${maxSize}`,
    );
  }
  const pct = group.maxUnavailablePercent;
  if (!Number.isInteger(pct) || pct < 1 || pct > 100) {
    problems.push(`${at}.maxUnavailablePercent must be an integer from 1 to 100; got ${pct}`);
  }
  return problems;
}

/** Throws one Error listing every problem of {@link validateEksClusterArgs}. */
export function assertValidEksClusterArgs(name: string, args: EksClusterArgs): void {
  const problems = validateEksClusterArgs(args);
  if (problems.length > 0) {
    throw new Error(
      `Invalid EksCluster "${name}" args (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
}
