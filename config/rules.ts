import { INSTANCE_TYPES } from "../lib/instance-types";
import {
  NAME_LIMITS,
  NameContext,
  clusterName,
  nodeRoleName,
  repositoryName,
  serviceRoleName,
} from "../lib/naming";
import { allowedInstanceTypes } from "../lib/node-pools";
import { subnetPlanProblems } from "../lib/subnets";
import { clusterSourceProblems, onExistingCluster } from "./cluster-source";
import { ConfigProblem, showValue } from "./errors";
import { serviceLinkProblems } from "./links";
import { frontDoorProblems } from "./front-door";
import { nodePoolProblems } from "./node-pool-rules";
import { productionProblems } from "./production";
import { ProjectSettings, cpuCores, memoryMiB } from "./schema";

export {
  PRODUCTION_KMS_WINDOW_DAYS,
  PRODUCTION_MAX_PUBLIC_ADDRESSES,
  PRODUCTION_MIN_AZS,
  PRODUCTION_MIN_REPLICAS,
} from "./production";

/** Where a stack deploys: its names, and its region when known. */
export type RuleContext = NameContext & { readonly region?: string };

// ECR's repository name pattern: lower-case components joined by single separators.
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** True when every key a rule reads has passed its own checks. */
export function has<K extends keyof ProjectSettings>(
  s: Partial<ProjectSettings>,
  ...keys: K[]
): s is Partial<ProjectSettings> & Pick<ProjectSettings, K> {
  return keys.every((k) => s[k] !== undefined);
}

/**
 * Rules that relate several keys, or a key to the stack. `s` holds the keys that passed their
 * own checks; a rule runs when every key it reads is there, so a bad key does not hide the
 * other problems. `key(path)` turns a path into the full config key. Each returns problems
 * rather than throwing, so all are reported.
 */
export function crossFieldProblems(
  s: Partial<ProjectSettings>,
  ctx: RuleContext,
  key: (path: string) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, rule: string, value?: unknown) =>
    problems.push({
      key: key(path),
      rule,
      value: value === undefined ? undefined : showValue(value),
    });

  // A cluster from a kubeconfig has no network, registry, cluster or AWS names to check.
  problems.push(...clusterSourceProblems(s, key));
  if (onExistingCluster(s)) {
    if (has(s, "services")) serviceLinkProblems(s.services, add);
    if (s.production === true) problems.push(...productionProblems(s, key));
    return problems;
  }

  // Network
  if (has(s, "vpcCidr", "azCount", "publicSubnetPrefix", "privateSubnetPrefix")) {
    for (const p of subnetPlanProblems({
      vpcCidr: s.vpcCidr,
      azCount: s.azCount,
      publicPrefix: s.publicSubnetPrefix,
      privatePrefix: s.privateSubnetPrefix,
    })) {
      add("vpcCidr", `must hold the subnet plan: ${p}`, s.vpcCidr);
    }
  }
  if (has(s, "endpointPublicAccess", "publicAccessCidrs")) {
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
  }

  // Node groups and services: names derived from the stack, and pods that fit on a node
  if (has(s, "nodeGroups")) {
    const groups = Object.values(s.nodeGroups);
    // coredns, metrics-server and the EBS CSI controller wait for a node; with none, the first
    // `pulumi up` times out on addons stuck DEGRADED (pulumi-eks#1819).
    if (groups.length > 0 && groups.every((g) => g.desiredSize < 1)) {
      add(
        "nodeGroups",
        "must start at least one group with desiredSize >= 1, for coredns, metrics-server and the EBS CSI controller to run on",
        Object.fromEntries(Object.entries(s.nodeGroups).map(([n, g]) => [n, g.desiredSize])),
      );
    }
    for (const name of Object.keys(s.nodeGroups)) {
      const role = nodeRoleName(ctx, name);
      if (role.length > NAME_LIMITS.iamRole) {
        add(
          `nodeGroups.${name}`,
          `makes the IAM role name "${role}" longer than ${NAME_LIMITS.iamRole} characters; shorten the node group, stack or project name`,
          name,
        );
      }
    }
  }
  if (has(s, "services")) {
    for (const name of Object.keys(s.services)) {
      const role = serviceRoleName(ctx, name);
      if (role.length > NAME_LIMITS.iamRole) {
        add(
          `services.${name}`,
          `makes the IAM role name "${role}" longer than ${NAME_LIMITS.iamRole} characters; shorten the service, stack or project name`,
          name,
        );
      }
    }
  }
  if (has(s, "services")) serviceLinkProblems(s.services, add);
  problems.push(...nodePoolProblems(s, ctx, key));
  if (has(s, "services", "nodeGroups")) {
    // Services run on the NodePools' nodes (the system group is tainted), or on an untainted group.
    const types = [
      ...Object.values(s.nodeGroups).flatMap((g) => g.instanceTypes),
      ...Object.values(s.nodePools ?? {}).flatMap((p) => allowedInstanceTypes(p)),
    ];
    const cores = Math.max(...types.map((t) => INSTANCE_TYPES[t]?.vcpu ?? 0));
    const mib = Math.max(...types.map((t) => (INSTANCE_TYPES[t]?.memoryGiB ?? 0) * 1024));
    for (const [name, svc] of Object.entries(s.services)) {
      if (cpuCores(svc.cpu) >= cores) {
        add(
          `services.${name}.cpu`,
          `must be less than the ${cores} vCPUs of the largest node (the node keeps some for itself), or the pods never schedule`,
          svc.cpu,
        );
      }
      if (memoryMiB(svc.memory) >= mib) {
        add(
          `services.${name}.memory`,
          `must be less than the ${mib / 1024} GiB of the largest node (the node keeps some for itself), or the pods never schedule`,
          svc.memory,
        );
      }
    }
  }

  // Keys that depend on one another
  if (has(s, "eksCluster", "kubernetesWorkloads")) {
    if (s.kubernetesWorkloads && !s.eksCluster) {
      add(
        "kubernetesWorkloads",
        "must be false when eksCluster is false: there is no cluster to deploy into",
        s.kubernetesWorkloads,
      );
    }
  }
  if (has(s, "observability", "observabilityPersistence")) {
    if (s.observabilityPersistence && !s.observability) {
      add(
        "observabilityPersistence",
        "must be false when observability is false: there is nothing to persist",
        s.observabilityPersistence,
      );
    }
  }
  if (has(s, "ecrKmsKeyArn") && s.ecrKmsKeyArn !== "" && ctx.region !== undefined) {
    const keyRegion = s.ecrKmsKeyArn.split(":")[3];
    if (keyRegion !== ctx.region) {
      add(
        "ecrKmsKeyArn",
        `must be a key in the stack's region ${ctx.region}: ECR cannot use a key from another region`,
        s.ecrKmsKeyArn,
      );
    }
  }
  // ASCP refuses a secret from another region ("ARN region must match region", its
  // secret_descriptor.go), and the Decrypt grant names this region's Secrets Manager.
  if (has(s, "services") && ctx.region !== undefined) {
    for (const [name, svc] of Object.entries(s.services)) {
      for (const [target, source] of Object.entries(svc.secrets)) {
        for (const field of ["arn", "kmsKeyArn"] as const) {
          const arn = (source as { arn?: string; kmsKeyArn?: string })[field];
          if (arn !== undefined && arn.split(":")[3] !== ctx.region) {
            add(
              `services.${name}.secrets.${target}.${field}`,
              `must be in the stack's region ${ctx.region}: the pod reads its secrets there`,
              arn,
            );
          }
        }
      }
    }
  }
  if (has(s, "addonVersions", "kubernetesVersion")) {
    const kubeProxy = s.addonVersions["kube-proxy"];
    if (kubeProxy !== undefined && !kubeProxy.startsWith(`v${s.kubernetesVersion}.`)) {
      add(
        "addonVersions.kube-proxy",
        `must match the cluster's Kubernetes version ${s.kubernetesVersion} (v${s.kubernetesVersion}.x-eksbuild.n)`,
        kubeProxy,
      );
    }
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
  const repository = repositoryName(ctx, "app");
  if (repository.length > NAME_LIMITS.ecrRepository) {
    add(
      "(stack name)",
      `makes the ECR repository name longer than ${NAME_LIMITS.ecrRepository} characters`,
      ctx.stack,
    );
  } else if (!ECR_REPOSITORY.test(repository)) {
    add(
      "(stack name)",
      `makes the ECR repository name "${repository}" invalid: separators (-, _, .) must sit between letters or digits`,
      ctx.stack,
    );
  }

  problems.push(...frontDoorProblems(s, key));
  if (s.production === true) problems.push(...productionProblems(s, key));
  return problems;
}
