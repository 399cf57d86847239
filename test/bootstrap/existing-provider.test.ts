import * as path from "path";
import { findResource, ofType } from "../harness";
import type { StackRun } from "../../tools/runner";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
let run: StackRun;
beforeAll(async () => {
  const runner = await import("../../tools/runner");
  run = await runner.runStack({
    stack: "shared",
    projectDir: path.join(__dirname, "../../bootstrap"),
    overrides: {
      "aws:region": "us-east-1",
      githubRepository: "acme/platform",
      oidcProviderArn: PROVIDER,
      stateBucketName: "acme-pulumi-state",
      environments: ["production"],
      protect: false,
    },
  });
});

describe("the bootstrap in an account that already trusts GitHub", () => {
  it("reuses the account's OIDC provider instead of creating a second one", () => {
    expect(ofType(run.resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toEqual(
      [],
    );
    const role = findResource(
      run.resources,
      "aws:iam/role:Role",
      "platform-bootstrap-shared-deploy",
    );
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
    expect(trust.Statement[0].Principal).toEqual({ Federated: PROVIDER });
    expect(
      trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"],
    ).toEqual(["repo:acme/platform:environment:production"]);
  });

  it("uses the given bucket name and leaves protection to the config", () => {
    const bucket = findResource(
      run.resources,
      "aws:s3/bucket:Bucket",
      "platform-bootstrap-shared-state",
    );
    expect(bucket.inputs.bucket).toBe("acme-pulumi-state");
    expect(bucket.options.protect).toBe(false);
    expect(run.outputs.backendUrl).toBe("s3://acme-pulumi-state?region=us-east-1");
  });
});
