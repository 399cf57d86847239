import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { BOOTSTRAP_DEFAULTS, ciRoleName, parseBootstrapConfig } from "../../bootstrap/config";
import { deploySubjects, githubTrustPolicy, previewSubjects } from "../../bootstrap/policies";

const ctx = { project: "platform-bootstrap", stack: "shared" };
const raw = (values: Record<string, string> = {}) => ({
  "aws:region": "us-east-1",
  "platform-bootstrap:githubRepository": "acme/platform",
  ...values,
});

describe("the bootstrap config", () => {
  it("applies the defaults of bootstrap/Pulumi.yaml", () => {
    expect(parseBootstrapConfig(raw(), ctx)).toEqual({
      ...ctx,
      region: "us-east-1",
      githubRepository: "acme/platform",
      ...BOOTSTRAP_DEFAULTS,
    });
  });

  it("reads the environments list as the engine passes it (JSON)", () => {
    const config = parseBootstrapConfig(
      raw({ "platform-bootstrap:environments": '["staging","production"]' }),
      ctx,
    );
    expect(config.environments).toEqual(["staging", "production"]);
  });

  it("lists every problem at once, naming key, rule and value", () => {
    const bad = {
      "aws:region": "Europe",
      "platform-bootstrap:githubRepository": "platform",
      "platform-bootstrap:environments": '["dev","dev"]',
      "platform-bootstrap:mainBranch": "release/*",
      "platform-bootstrap:stateBucketName": "Pulumi_State",
      "platform-bootstrap:secretsKeyAlias": "alias/aws/pulumi",
      "platform-bootstrap:oidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/example.com",
      "platform-bootstrap:managedNamePrefix": "gha-",
      "platform-bootstrap:noncurrentVersionDays": "0",
      "platform-bootstrap:protect": "yes",
    };
    expect(() => parseBootstrapConfig(bad, ctx)).toThrow(
      [
        'Invalid config for stack "shared" (11 problems):',
        '  - platform-bootstrap:githubRepository: must be the GitHub repository as owner/name, such as acme/platform; got "platform"',
        '  - platform-bootstrap:environments: must be a non-empty list of distinct GitHub environment names (letters, digits, . _ -); got "[\\"dev\\",\\"dev\\"]"',
        '  - platform-bootstrap:mainBranch: must be a branch name without wildcards; got "release/*"',
        '  - platform-bootstrap:stateBucketName: must be empty or an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens; got "Pulumi_State"',
        '  - platform-bootstrap:secretsKeyAlias: must not use the alias/aws/ prefix, which AWS reserves; got "alias/aws/pulumi"',
        '  - platform-bootstrap:oidcProviderArn: must be empty or the ARN of the account\'s token.actions.githubusercontent.com OIDC provider; got "arn:aws:iam::123456789012:oidc-provider/example.com"',
        '  - platform-bootstrap:managedNamePrefix: must not be a prefix of the CI role gha-platform-deploy, or the deploy role could rewrite its own permissions; got "gha-"',
        '  - platform-bootstrap:managedNamePrefix: must not be a prefix of the CI role gha-platform-preview, or the deploy role could rewrite its own permissions; got "gha-"',
        '  - platform-bootstrap:noncurrentVersionDays: must be an integer from 1 to 3650; got "0"',
        '  - platform-bootstrap:protect: must be true or false; got "yes"',
        '  - aws:region: must be an AWS region name such as us-east-1; got "Europe"',
      ].join("\n"),
    );
  });

  it("requires the repository, which has no default", () => {
    expect(() => parseBootstrapConfig({ "aws:region": "us-east-1" }, ctx)).toThrow(
      "platform-bootstrap:githubRepository: is required and must be the GitHub repository as owner/name",
    );
  });

  it.each([
    ["acme/platform", "deploy", "gha-platform-deploy"],
    ["acme/platform", "preview", "gha-platform-preview"],
    [`acme/${"x".repeat(100)}`, "preview", `gha-${"x".repeat(52)}-preview`],
  ] as const)("names the %s %s role %s (at most 64 characters)", (repo, purpose, expected) => {
    expect(ciRoleName(repo, purpose)).toBe(expected);
    expect(ciRoleName(repo, purpose).length).toBeLessThanOrEqual(64);
  });
});

describe("the GitHub OIDC trust", () => {
  it("scopes deploys to environments and previews to pull requests and the main branch", () => {
    expect(deploySubjects("acme/platform", ["dev", "production"])).toEqual([
      "repo:acme/platform:environment:dev",
      "repo:acme/platform:environment:production",
    ]);
    expect(previewSubjects("acme/platform", "trunk")).toEqual([
      "repo:acme/platform:pull_request",
      "repo:acme/platform:ref:refs/heads/trunk",
    ]);
  });

  it("matches subjects exactly (StringEquals), never with wildcards", () => {
    const doc = githubTrustPolicy("arn:provider", ["repo:acme/platform:pull_request"]);
    const condition = doc.Statement[0]?.Condition ?? {};
    expect(Object.keys(condition)).toEqual(["StringEquals"]);
    expect(JSON.stringify(doc)).not.toContain("*");
  });
});

describe("the bootstrap as a Pulumi project of its own", () => {
  const dir = path.join(__dirname, "../../bootstrap");
  const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");

  it("names its own entry point: the runtime searches upward and would find the root's", () => {
    const pkg = JSON.parse(read("package.json")) as Record<string, unknown>;
    expect(pkg.main).toBe("index.ts");
    expect(pkg.dependencies).toBeUndefined();
    expect(fs.existsSync(path.join(dir, "package-lock.json"))).toBe(false);
    expect(JSON.parse(read("tsconfig.json"))).toMatchObject({ extends: "../tsconfig.json" });
  });

  it("declares in Pulumi.yaml the defaults the config module applies", () => {
    const project = parse(read("Pulumi.yaml")) as {
      name: string;
      config: Record<string, { default?: unknown }>;
    };
    expect(project.name).toBe("platform-bootstrap");
    const declared = Object.fromEntries(
      Object.entries(project.config)
        .filter(([, d]) => d.default !== undefined)
        .map(([k, d]) => [k, d.default]),
    );
    expect(declared).toEqual(BOOTSTRAP_DEFAULTS);
    expect(project.config.githubRepository?.default).toBeUndefined();
  });
});
