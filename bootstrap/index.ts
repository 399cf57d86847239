import * as pulumi from "@pulumi/pulumi";
import { baseTags } from "../lib/tags";
import { namePrefix } from "../lib/naming";
import { GithubActionsAccess } from "./components/github-access";
import { StateBackend } from "./components/state-backend";
import { loadBootstrapConfig } from "./config";

/**
 * What the platform project needs before its first run, in one AWS account: CI access through
 * GitHub OIDC, then the state bucket and secrets key granted to those roles. The outputs are
 * the values to set as GitHub variables (README, "CI setup").
 */
export = () => {
  const config = loadBootstrapConfig();
  const name = namePrefix({ project: config.project, stack: config.stack });
  const tags = baseTags({ project: config.project, stack: config.stack });

  const github = new GithubActionsAccess(name, {
    repository: config.githubRepository,
    environments: config.environments,
    mainBranch: config.mainBranch,
    existingProviderArn: config.oidcProviderArn === "" ? undefined : config.oidcProviderArn,
    managedNamePrefix: config.managedNamePrefix,
    tags,
  });
  const backend = new StateBackend(name, {
    bucketName: config.stateBucketName === "" ? undefined : config.stateBucketName,
    keyAlias: config.secretsKeyAlias,
    writers: [github.deployRole],
    readers: [github.previewRole],
    noncurrentVersionDays: config.noncurrentVersionDays,
    protect: config.protect,
    tags,
  });

  const backendUrl = pulumi.interpolate`s3://${backend.bucketName}?region=${config.region}`;
  const secretsProvider = pulumi.interpolate`awskms://${backend.keyAlias}?region=${config.region}`;
  return {
    stateBucketName: backend.bucketName,
    backendUrl,
    secretsProvider,
    secretsKeyArn: backend.keyArn,
    oidcProviderArn: github.providerArn,
    deployRoleArn: github.deployRole.arn,
    previewRoleArn: github.previewRole.arn,
    /** `pulumi stack output githubVariables --json`: the repository variables to set. */
    githubVariables: {
      AWS_REGION: config.region,
      AWS_DEPLOY_ROLE_ARN: github.deployRole.arn,
      AWS_PREVIEW_ROLE_ARN: github.previewRole.arn,
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_SECRETS_PROVIDER: secretsProvider,
    },
  };
};
