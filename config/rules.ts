import { Architecture, architectureOf } from "../lib/instance-types";
import {
  NAME_LIMITS,
  NameContext,
  clusterName,
  nodeRoleName,
  repositoryName,
  serviceRoleName,
} from "../lib/naming";
import { subnetPlanProblems } from "../lib/subnets";
import { parseCidr, overlaps } from "../lib/cidr";
import { ConfigProblem, showValue } from "./errors";
import { NatStrategy, ProjectSettings, RESERVED_NAMESPACES } from "./schema";

/** The minimum number of AZs a production stack spans. */
export const PRODUCTION_MIN_AZS = 3;
/** The minimum replicas of a production service, so one pod can be drained at a time. */
export const PRODUCTION_MIN_REPLICAS = 2;
/** The KMS key deletion window of a production stack, AWS's maximum. */
export const PRODUCTION_KMS_WINDOW_DAYS = 30;

const WORLD = ["0.0.0.0/0"];

/**
 * Rules that relate several keys, run after every key has its type. `key(path)` turns a path
 * into the full config key. Each returns problems rather than throwing, so all are reported.
 */
export function crossFieldProblems(
  s: ProjectSettings,
  ctx: NameContext,
  key: (path: string) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, rule: string, value?: unknown) =>
    problems.push({
      key: key(path),
      rule,
      value: value === undefined ? undefined : showValue(value),
    });

  // Network
  for (const p of subnetPlanProblems({
    vpcCidr: s.vpcCidr,
    azCount: s.azCount,
    publicPrefix: s.publicSubnetPrefix,
    privatePrefix: s.privateSubnetPrefix,
  })) {
    add("vpcCidr", `must hold the subnet plan: ${p}`, s.vpcCidr);
  }
  if (s.endpointPublicAccess && s.publicAccessCidrs.length === 0) {
    add(
      "publicAccessCidrs",
      "must list the CIDR blocks allowed to reach the public API endpoint when endpointPublicAccess is true (your office or VPN range)",
      s.publicAccessCidrs,
    );
  }
  if (!s.endpointPublicAccess && s.publicAccessCidrs.length > 0) {
    add(
      "publicAccessCidrs",
      "must be empty when endpointPublicAccess is false",
      s.publicAccessCidrs,
    );
  }
  const vpc = parseCidr(s.vpcCidr);
  s.publicAccessCidrs.forEach((c, i) => {
    const block = parseCidr(c);
    if (
      typeof vpc !== "string" &&
      typeof block !== "string" &&
      overlaps(vpc, block) &&
      block.prefix > 0
    ) {
      add(
        `publicAccessCidrs[${i}]`,
        `must not overlap the VPC ${s.vpcCidr}: the public endpoint is for clients outside it`,
        c,
      );
    }
  });

  // Node groups
  const groups = Object.entries(s.nodeGroups);
  if (groups.length === 0) add("nodeGroups", "must define at least one node group", s.nodeGroups);
  for (const [name, g] of groups) {
    const at = `nodeGroups.${name}`;
    if (g.minSize > g.desiredSize || g.desiredSize > g.maxSize) {
      add(at, "must have minSize <= desiredSize <= maxSize", {
        minSize: g.minSize,
        desiredSize: g.desiredSize,
        maxSize: g.maxSize,
      });
    }
    const arches = new Set<Architecture>(g.instanceTypes.map(architectureOf));
    if (arches.size > 1) {
      add(
        `${at}.instanceTypes`,
        "must all have one CPU architecture (Graviton types such as t4g or m7g are arm64; put them in their own group)",
        g.instanceTypes,
      );
    }
    if (new Set(g.instanceTypes).size !== g.instanceTypes.length) {
      add(`${at}.instanceTypes`, "must not repeat an instance type", g.instanceTypes);
    }
    const role = nodeRoleName(ctx, name);
    if (role.length > NAME_LIMITS.iamRole) {
      add(
        at,
        `makes the IAM role name "${role}" longer than ${NAME_LIMITS.iamRole} characters; shorten the node group, stack or project name`,
        name,
      );
    }
  }

  // Services
  for (const [name, svc] of Object.entries(s.services)) {
    const at = `services.${name}`;
    if ((RESERVED_NAMESPACES as readonly string[]).includes(name)) {
      add(at, `must not use a reserved namespace name (${RESERVED_NAMESPACES.join(", ")})`, name);
    }
    if (svc.minReplicas > svc.maxReplicas) {
      add(at, "must have minReplicas <= maxReplicas", {
        minReplicas: svc.minReplicas,
        maxReplicas: svc.maxReplicas,
      });
    }
    const role = serviceRoleName(ctx, name);
    if (role.length > NAME_LIMITS.iamRole) {
      add(
        at,
        `makes the IAM role name "${role}" longer than ${NAME_LIMITS.iamRole} characters; shorten the service, stack or project name`,
        name,
      );
    }
  }

  // Access
  const admins = new Set(s.access.admins);
  for (const viewer of s.access.viewers) {
    if (admins.has(viewer))
      add("access.viewers", "must not repeat a principal that is already an admin", viewer);
  }

  // Names derived from the project and stack
  const cluster = clusterName(ctx);
  if (cluster.length > NAME_LIMITS.eksCluster) {
    add(
      "(stack name)",
      `makes the EKS cluster name longer than ${NAME_LIMITS.eksCluster} characters`,
      cluster,
    );
  }
  if (nodeRoleName(ctx, "").length > NAME_LIMITS.iamRole - 1) {
    add(
      "(stack name)",
      `makes IAM role names longer than ${NAME_LIMITS.iamRole} characters`,
      ctx.stack,
    );
  }
  if (repositoryName(ctx, "app").length > NAME_LIMITS.ecrRepository) {
    add(
      "(stack name)",
      `makes the ECR repository name longer than ${NAME_LIMITS.ecrRepository} characters`,
      ctx.stack,
    );
  }

  if (s.production) problems.push(...productionProblems(s, key));
  return problems;
}

/** What `production: true` requires: high availability and protection from deletion. */
function productionProblems(s: ProjectSettings, key: (path: string) => string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const need = (ok: boolean, path: string, rule: string, value: unknown) => {
    if (!ok)
      problems.push({
        key: key(path),
        rule: `${rule} in a production stack`,
        value: showValue(value),
      });
  };
  need(
    s.azCount >= PRODUCTION_MIN_AZS,
    "azCount",
    `must be at least ${PRODUCTION_MIN_AZS}`,
    s.azCount,
  );
  need(
    s.natStrategy === NatStrategy.PerAz,
    "natStrategy",
    "must be perAz, so losing an AZ does not cut the others off",
    s.natStrategy,
  );
  s.publicAccessCidrs.forEach((c, i) => {
    const block = parseCidr(c);
    const world = WORLD.includes(c) || (typeof block !== "string" && block.prefix === 0);
    need(
      !world,
      `publicAccessCidrs[${i}]`,
      "must not open the API endpoint to the whole internet",
      c,
    );
  });
  need(s.deletionProtection, "deletionProtection", "must be true", s.deletionProtection);
  need(s.protectResources, "protectResources", "must be true", s.protectResources);
  need(
    !s.ecrForceDelete,
    "ecrForceDelete",
    "must be false, so a destroy cannot delete images",
    s.ecrForceDelete,
  );
  need(
    s.kmsDeletionWindowDays === PRODUCTION_KMS_WINDOW_DAYS,
    "kmsDeletionWindowDays",
    `must be ${PRODUCTION_KMS_WINDOW_DAYS}`,
    s.kmsDeletionWindowDays,
  );
  for (const [name, svc] of Object.entries(s.services)) {
    need(
      svc.minReplicas >= PRODUCTION_MIN_REPLICAS,
      `services.${name}.minReplicas`,
      `must be at least ${PRODUCTION_MIN_REPLICAS}`,
      svc.minReplicas,
    );
  }
  return problems;
}
