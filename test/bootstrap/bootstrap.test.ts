import * as path from "path";
import { RecordedResource, findResource, ofType } from "../harness";
import type { StackRun } from "../../tools/runner";
import { PolicyDocument, Statement, secretsKeyPolicy } from "../../bootstrap/policies";

const BOOTSTRAP_DIR = path.join(__dirname, "../../bootstrap");
const REPO = "acme/platform";
const NAME = "platform-bootstrap-shared";

let run: StackRun;
beforeAll(async () => {
  const runner = await import("../../tools/runner");
  run = await runner.runStack({
    stack: "shared",
    projectDir: BOOTSTRAP_DIR,
    overrides: { "aws:region": "eu-west-1", githubRepository: REPO },
  });
});

const one = (type: string, name = NAME) => findResource(run.resources, type, name);
const policy = (r: RecordedResource, field = "policy") =>
  JSON.parse(String(r.inputs[field])) as PolicyDocument;
const statement = (doc: PolicyDocument, sid: string): Statement => {
  const found = doc.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}: ${doc.Statement.map((s) => s.Sid).join(", ")}`);
  return found;
};

describe("the bootstrap stack (bootstrap/, its own Pulumi project)", () => {
  it("runs as its own project with its own config namespace", () => {
    expect(run.project).toBe("platform-bootstrap");
    expect(run.resources.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "platform:bootstrap:StateBackend",
        "platform:bootstrap:GithubActionsAccess",
      ]),
    );
  });

  describe("the state bucket", () => {
    const bucketName = () => String(run.outputs.stateBucketName);

    it("is versioned and keeps old state versions for a while", () => {
      const versioning = one("aws:s3/bucketVersioning:BucketVersioning", `${NAME}-state`);
      expect(versioning.inputs.versioningConfiguration).toEqual({ status: "Enabled" });
      const lifecycle = one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        `${NAME}-state`,
      );
      expect(lifecycle.inputs.rules).toEqual([
        expect.objectContaining({
          status: "Enabled",
          noncurrentVersionExpiration: { noncurrentDays: 90, newerNoncurrentVersions: 10 },
        }),
      ]);
    });

    it("is encrypted with the secrets key (SSE-KMS)", () => {
      const sse = one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        `${NAME}-state`,
      );
      expect(sse.inputs.rules).toEqual([
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: run.outputs.secretsKeyArn,
          },
          bucketKeyEnabled: true,
        },
      ]);
    });

    it("blocks every kind of public access and disables ACLs", () => {
      const block = one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${NAME}-state`);
      expect(block.inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const ownership = one(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        `${NAME}-state`,
      );
      expect(ownership.inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    });

    it("refuses any request that is not over TLS", () => {
      const doc = policy(one("aws:s3/bucketPolicy:BucketPolicy", `${NAME}-state`));
      const arn = `arn:aws:s3:::${bucketName()}`;
      expect(statement(doc, "DenyInsecureTransport")).toEqual({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    });

    it("is protected from deletion, and a destroy cannot empty it", () => {
      const bucket = one("aws:s3/bucket:Bucket", `${NAME}-state`);
      expect(bucket.options.protect).toBe(true);
      expect(bucket.inputs.forceDestroy).toBe(false);
    });

    it("is the backend URL the platform logs in to", () => {
      expect(bucketName()).toMatch(/^platform-bootstrap-shared-state-[0-9a-f]{7}$/);
      expect(run.outputs.backendUrl).toBe(`s3://${bucketName()}?region=eu-west-1`);
    });
  });

  describe("the secrets key", () => {
    const key = () => one("aws:kms/key:Key", `${NAME}-secrets`);

    it("rotates, waits 30 days before deletion and is protected", () => {
      expect(key().inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
      expect(key().options.protect).toBe(true);
    });

    it("has an explicit policy: the account administers, the CI roles use it", () => {
      const doc = policy(key());
      expect(statement(doc, "AccountAdministersTheKey").Principal).toEqual({
        AWS: "arn:aws:iam::123456789012:root",
      });
      expect(statement(doc, "WritersEncryptAndDecrypt").Principal).toEqual({
        AWS: [run.outputs.deployRoleArn],
      });
      const readers = statement(doc, "ReadersDecrypt");
      expect(readers.Principal).toEqual({ AWS: [run.outputs.previewRoleArn] });
      expect(readers.Action).not.toContain("kms:Encrypt");
    });

    it("is the awskms:// secrets provider, through its alias", () => {
      expect(one("aws:kms/alias:Alias", `${NAME}-secrets`).inputs.name).toBe(
        "alias/pulumi-platform-secrets",
      );
      expect(run.outputs.secretsProvider).toBe(
        "awskms://alias/pulumi-platform-secrets?region=eu-west-1",
      );
    });
  });

  describe("GitHub Actions access", () => {
    const trust = (purpose: string) =>
      policy(one("aws:iam/role:Role", `${NAME}-${purpose}`), "assumeRolePolicy");

    it("creates the GitHub OIDC provider for the STS audience", () => {
      const provider = one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", `${NAME}-github`);
      expect(provider.inputs).toMatchObject({
        url: "https://token.actions.githubusercontent.com",
        clientIdLists: ["sts.amazonaws.com"],
      });
      expect(run.outputs.oidcProviderArn).toBe(
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      );
    });

    it("lets only this repository's deploy environments assume the deploy role", () => {
      expect(trust("deploy").Statement).toEqual([
        {
          Sid: "GitHubActionsOidc",
          Effect: "Allow",
          Principal: { Federated: run.outputs.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": [
                "repo:acme/platform:environment:dev",
                "repo:acme/platform:environment:production",
              ],
            },
          },
        },
      ]);
    });

    it("lets pull requests and main's drift checks assume only the read-only role", () => {
      const condition = trust("preview").Statement[0]?.Condition?.StringEquals;
      expect(condition?.["token.actions.githubusercontent.com:sub"]).toEqual([
        "repo:acme/platform:pull_request",
        "repo:acme/platform:ref:refs/heads/main",
      ]);
      const attached = ofType(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
      expect(attached.map((a) => [a.name, a.inputs.policyArn])).toEqual([
        [`${NAME}-deploy-power-user`, "arn:aws:iam::aws:policy/PowerUserAccess"],
        [`${NAME}-preview-read-only`, "arn:aws:iam::aws:policy/ReadOnlyAccess"],
      ]);
    });

    it("names the roles outside the prefix the deploy role may manage", () => {
      const roles = ofType(run.resources, "aws:iam/role:Role").map((r) => r.inputs.name);
      expect(roles).toEqual(["gha-platform-deploy", "gha-platform-preview"]);
      const iam = policy(one("aws:iam/rolePolicy:RolePolicy", `${NAME}-deploy-iam`));
      expect(statement(iam, "ManagePlatformIam").Resource).toEqual([
        "arn:aws:iam::123456789012:role/platform-*",
        "arn:aws:iam::123456789012:policy/platform-*",
        "arn:aws:iam::123456789012:instance-profile/platform-*",
      ]);
    });

    it("grants the deploy role the state, and the preview role reads plus lock files", () => {
      const bucket = `arn:aws:s3:::${String(run.outputs.stateBucketName)}`;
      const writer = policy(one("aws:iam/rolePolicy:RolePolicy", `${NAME}-writer-0`));
      expect(statement(writer, "ReadWriteState").Action).toContain("s3:PutObject");
      const reader = policy(one("aws:iam/rolePolicy:RolePolicy", `${NAME}-reader-0`));
      expect(statement(reader, "TakeLocks").Resource).toBe(`${bucket}/.pulumi/locks/*`);
      expect(statement(reader, "ReadState").Action).toBe("s3:GetObject");
    });

    it("outputs the GitHub variables the workflows read", () => {
      expect(run.outputs.githubVariables).toEqual({
        AWS_REGION: "eu-west-1",
        AWS_DEPLOY_ROLE_ARN: run.outputs.deployRoleArn,
        AWS_PREVIEW_ROLE_ARN: run.outputs.previewRoleArn,
        PULUMI_BACKEND_URL: run.outputs.backendUrl,
        PULUMI_SECRETS_PROVIDER: run.outputs.secretsProvider,
      });
    });
  });
});

describe("the secrets key policy for a backend with no CI role yet (StateBackend's defaults)", () => {
  it("leaves out the statements whose principal list would be empty, which KMS rejects", () => {
    const root = "arn:aws:iam::123456789012:root";
    expect(
      secretsKeyPolicy(root, { writers: [], readers: [] }).Statement.map((s) => s.Sid),
    ).toEqual(["AccountAdministersTheKey"]);
    const reader = "arn:aws:iam::123456789012:role/gha-platform-preview";
    const doc = secretsKeyPolicy(root, { writers: [], readers: [reader] });
    expect(doc.Statement.map((s) => [s.Sid, s.Principal])).toEqual([
      ["AccountAdministersTheKey", { AWS: root }],
      ["ReadersDecrypt", { AWS: [reader] }],
    ]);
  });
});
