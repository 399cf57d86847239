import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PROJECT_DIR } from "./runner";

/** Descriptions of the structured keys, which Pulumi.yaml cannot declare (it has no object type). */
export const STRUCTURED_KEYS: Record<string, string> = {
  access:
    "IAM principals with cluster access: `{admins: [arn], viewers: [arn], ciDeployRole: arn, ciPreviewRole: arn}`; no admins and no ciDeployRole = the deploying role",
  nodeGroups:
    "Managed node groups by name: `instanceTypes`, `capacityType`, `minSize`, `desiredSize`, `maxSize`, `diskSizeGiB`, `maxUnavailablePercent`, `labels`, `taints`",
  nodePools:
    "Karpenter NodePools by name: `capacityTypes`, `architectures`, `instanceCategories`, `instanceFamilies`, `maxInstanceVcpu`, `cpuLimit`, `memoryLimitGiB`, `consolidateAfter`, `expireAfter`, `disruptionBudgetPercent`, `weight`, `labels`, `taints`",
  services:
    "Services by name: `image`, `port`, `minReplicas`, `maxReplicas`, `cpu`, `memory`, `expose`, `protocol` (http: shared ALB, tcp: own NLB), `host`, `metrics`, `kubernetesApi`, `awsPolicyArns`, `env`, `targetCpuPercent`, `calls` (services it calls), `secrets` (from Secrets Manager)",
  frontDoor:
    "The shared ALB of the HTTP services: `domain` + `hostedZoneId` (HTTPS on `<service>.<domain>`; empty: HTTP on the ALB's hostname at `/<service>/`), `deletionProtection`, `accessLogs`, `accessLogRetentionDays`, `waf`, `requestsPerSecond` (cost estimate)",
  addonVersions:
    "EKS addon version overrides by addon name; defaults per Kubernetes version in lib/versions.ts",
  tags: "Extra tags on every AWS resource",
};

type Declaration = { type: string; description: string; default: unknown };

const cell = (value: unknown): string =>
  value === undefined
    ? ""
    : `\`${typeof value === "string" ? value || '""' : JSON.stringify(value)}\``;

/** The README's config reference: one row per key, with type, default and each stack's value. */
export function configTable(
  stacks: readonly string[] = ["dev", "prod"],
  dir = PROJECT_DIR,
): string {
  const project = parseYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, Declaration>;
  };
  const values = stacks.map(
    (stack) =>
      (
        parseYaml(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as {
          config: Record<string, unknown>;
        }
      ).config,
  );
  const header = `| Key | Type | Default | ${stacks.join(" | ")} | Description |`;
  const rule = `|${" --- |".repeat(4 + stacks.length)}`;
  const row = (key: string, type: string, def: string, description: string) =>
    `| \`${key}\` | ${type} | ${def} | ${values.map((v) => cell(v[`${project.name}:${key}`])).join(" | ")} | ${description} |`;
  const rows = [
    ...Object.entries(project.config).map(([key, d]) =>
      row(key, d.type, cell(d.default), d.description),
    ),
    ...Object.entries(STRUCTURED_KEYS).map(([key, description]) =>
      row(key, "object", "see config/schema.ts", description),
    ),
  ];
  const region = `| \`aws:region\` | string | (required) | ${values.map((v) => cell(v["aws:region"])).join(" | ")} | AWS region to deploy to |`;
  return [header, rule, region, ...rows].join("\n");
}
