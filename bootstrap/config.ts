import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigProblem, showValue } from "../config/errors";

/** The bootstrap stack's validated config (see Pulumi.yaml for each key's meaning). */
export interface BootstrapConfig {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  /** `owner/name`. */
  readonly githubRepository: string;
  readonly environments: readonly string[];
  readonly mainBranch: string;
  /** Empty for a generated name. */
  readonly stateBucketName: string;
  readonly secretsKeyAlias: string;
  /** Empty to create the provider. */
  readonly oidcProviderArn: string;
  readonly managedNamePrefix: string;
  readonly noncurrentVersionDays: number;
  readonly protect: boolean;
}

/** Defaults, the same as in bootstrap/Pulumi.yaml. */
export const BOOTSTRAP_DEFAULTS = {
  environments: ["dev", "production"],
  mainBranch: "main",
  stateBucketName: "",
  secretsKeyAlias: "alias/pulumi-platform-secrets",
  oidcProviderArn: "",
  managedNamePrefix: "platform-",
  noncurrentVersionDays: 90,
  protect: true,
} as const;

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const BRANCH = /^[A-Za-z0-9._/-]{1,255}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ALIAS = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
const GITHUB_PROVIDER =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const IAM_PREFIX = /^[A-Za-z0-9+=,.@_-]{2,32}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** The names the bootstrap gives its own roles: outside `managedNamePrefix` on purpose. */
export function ciRoleName(repository: string, purpose: "deploy" | "preview"): string {
  const repo = repository.split("/")[1] ?? repository;
  return `gha-${repo.slice(0, 64 - "gha--preview".length)}-${purpose}`;
}

/**
 * Turns the raw config map (every value a string, keys `<project>:<key>`) into a
 * {@link BootstrapConfig}. Throws one ConfigError listing every problem.
 */
export function parseBootstrapConfig(
  raw: Readonly<Record<string, string>>,
  ctx: { readonly project: string; readonly stack: string },
): BootstrapConfig {
  const problems: ConfigProblem[] = [];
  const key = (k: string) => `${ctx.project}:${k}`;
  const get = (k: string) => raw[key(k)];
  const problem = (k: string, rule: string, value?: unknown) =>
    problems.push({ key: key(k), rule, value: value === undefined ? undefined : showValue(value) });
  const defaults: Readonly<Record<string, unknown>> = BOOTSTRAP_DEFAULTS;
  /** A string key: `optional` ones may be empty, meaning "let the bootstrap decide". */
  const text = (k: string, re: RegExp, rule: string, optional = false): string => {
    const value = get(k) ?? (defaults[k] as string | undefined);
    if (value === undefined) problem(k, `is required and ${rule}`);
    else if (!(optional && value === "") && !re.test(value)) problem(k, rule, value);
    return value ?? "";
  };

  const githubRepository = text(
    "githubRepository",
    REPOSITORY,
    "must be the GitHub repository as owner/name, such as acme/platform",
  );
  const environments = parseList(get("environments"), BOOTSTRAP_DEFAULTS.environments);
  if (
    environments === undefined ||
    environments.length === 0 ||
    environments.some((e) => !ENVIRONMENT.test(e)) ||
    new Set(environments).size !== environments.length
  ) {
    problem(
      "environments",
      "must be a non-empty list of distinct GitHub environment names (letters, digits, . _ -)",
      get("environments"),
    );
  }
  const mainBranch = text("mainBranch", BRANCH, "must be a branch name without wildcards");
  const stateBucketName = text(
    "stateBucketName",
    BUCKET,
    "must be empty or an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens",
    true,
  );
  const secretsKeyAlias = text(
    "secretsKeyAlias",
    KEY_ALIAS,
    "must be a KMS alias such as alias/pulumi-secrets",
  );
  if (secretsKeyAlias.startsWith("alias/aws/")) {
    problem(
      "secretsKeyAlias",
      "must not use the alias/aws/ prefix, which AWS reserves",
      secretsKeyAlias,
    );
  }
  const oidcProviderArn = text(
    "oidcProviderArn",
    GITHUB_PROVIDER,
    "must be empty or the ARN of the account's token.actions.githubusercontent.com OIDC provider",
    true,
  );
  const managedNamePrefix = text(
    "managedNamePrefix",
    IAM_PREFIX,
    "must be 2-32 characters valid in IAM names; the deploy role may manage IAM roles starting with it",
  );
  for (const purpose of ["deploy", "preview"] as const) {
    if (
      managedNamePrefix !== "" &&
      ciRoleName(githubRepository, purpose).startsWith(managedNamePrefix)
    ) {
      problem(
        "managedNamePrefix",
        `must not be a prefix of the CI role ${ciRoleName(githubRepository, purpose)}, or the deploy role could rewrite its own permissions`,
        managedNamePrefix,
      );
    }
  }
  const days = Number(get("noncurrentVersionDays") ?? BOOTSTRAP_DEFAULTS.noncurrentVersionDays);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    problem(
      "noncurrentVersionDays",
      "must be an integer from 1 to 3650",
      get("noncurrentVersionDays"),
    );
  }
  const protect = get("protect") ?? String(BOOTSTRAP_DEFAULTS.protect);
  if (protect !== "true" && protect !== "false")
    problem("protect", "must be true or false", protect);

  const region = raw["aws:region"];
  if (region === undefined || !REGION.test(region)) {
    problems.push({
      key: "aws:region",
      rule: "must be an AWS region name such as us-east-1",
      value: region === undefined ? undefined : showValue(region),
    });
  }
  if (problems.length > 0) throw new ConfigError(ctx.stack, problems);
  return {
    project: ctx.project,
    stack: ctx.stack,
    region: region!,
    githubRepository,
    environments: environments!,
    mainBranch,
    stateBucketName,
    secretsKeyAlias,
    oidcProviderArn,
    managedNamePrefix,
    noncurrentVersionDays: days,
    protect: protect === "true",
  };
}

function parseList(value: string | undefined, fallback: readonly string[]): string[] | undefined {
  if (value === undefined) return [...fallback];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((e) => typeof e === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and validates the running bootstrap stack's config. */
export function loadBootstrapConfig(): BootstrapConfig {
  return parseBootstrapConfig(pulumi.runtime.allConfig(), {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
  });
}
