/**
 * The bootstrap's IAM, KMS and S3 policy documents, as pure functions of names and ARNs, so
 * the trust scoping and every grant can be read and tested as plain JSON.
 */

import { denyInsecureTransport } from "../lib/s3";

/** An IAM policy statement. */
export interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | readonly string[]>>>
  >;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Statement[];
}

/** GitHub's OIDC issuer, without the scheme: the prefix of its condition keys. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience configure-aws-credentials requests. */
export const STS_AUDIENCE = "sts.amazonaws.com";

const doc = (...statements: Statement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/** The `sub` claims of jobs that deploy: one per GitHub environment, nothing else. */
export function deploySubjects(repository: string, environments: readonly string[]): string[] {
  return environments.map((env) => `repo:${repository}:environment:${env}`);
}

/** The `sub` claims of read-only jobs: pull request previews and the main branch's drift checks. */
export function previewSubjects(repository: string, mainBranch: string): string[] {
  return [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${mainBranch}`];
}

/** A role trust policy for GitHub Actions tokens with exactly these subjects. */
export function githubTrustPolicy(
  providerArn: string,
  subjects: readonly string[],
): PolicyDocument {
  return doc({
    Sid: "GitHubActionsOidc",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: subjects,
      },
    },
  });
}

/** Refuses every request to the bucket that is not over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn));
}

/** Who uses the state key: writers encrypt and decrypt; readers decrypt and write lock files. */
export interface KeyUsers {
  readonly writers: readonly string[];
  readonly readers: readonly string[];
}

/**
 * The secrets key policy: the account keeps administration (so IAM can always recover the key),
 * and the CI roles are named explicitly for what they do with it. A statement with no role is
 * left out: KMS rejects a policy whose principal list is empty.
 */
export function secretsKeyPolicy(accountRootArn: string, users: KeyUsers): PolicyDocument {
  const statements: Statement[] = [
    {
      Sid: "AccountAdministersTheKey",
      Effect: "Allow",
      Principal: { AWS: accountRootArn },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "WritersEncryptAndDecrypt",
      Effect: "Allow",
      Principal: { AWS: users.writers },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ],
      Resource: "*",
    },
    {
      Sid: "ReadersDecrypt",
      Effect: "Allow",
      Principal: { AWS: users.readers },
      Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: "*",
    },
  ];
  const named = (st: Statement) =>
    typeof st.Principal !== "object" || (st.Principal.AWS ?? "").length > 0;
  return doc(...statements.filter(named));
}

/** A writer's grant on the state: every object, and the key. */
export function stateWriterPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  return doc(
    {
      Sid: "ListState",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn,
    },
    {
      Sid: "ReadWriteState",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/*`,
    },
    {
      Sid: "UseSecretsKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: keyArn,
    },
  );
}

/**
 * A reader's grant: read every object, and write only lock files, which the self-managed
 * backend takes for a preview too.
 */
export function stateReaderPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  return doc(
    {
      Sid: "ListState",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: bucketArn,
    },
    { Sid: "ReadState", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/*` },
    {
      Sid: "TakeLocks",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucketArn}/.pulumi/locks/*`,
    },
    {
      Sid: "DecryptState",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: keyArn,
    },
  );
}

/** Services whose service-linked roles the platform's first deploy creates. */
export const SERVICE_LINKED_ROLES = [
  "eks.amazonaws.com",
  "eks-nodegroup.amazonaws.com",
  "autoscaling.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "spot.amazonaws.com",
] as const;

/**
 * The IAM the deploy role needs on top of PowerUserAccess (which grants no IAM): the platform's
 * own roles, policies and instance profiles (named with `prefix`), the EKS clusters' OIDC
 * providers and the service-linked roles. Roles outside the prefix, the CI roles included,
 * stay out of reach.
 */
export function deployIamPolicy(
  partition: string,
  accountId: string,
  prefix: string,
): PolicyDocument {
  const iam = (resource: string) => `arn:${partition}:iam::${accountId}:${resource}`;
  return doc(
    {
      Sid: "ManagePlatformIam",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListRolePolicies",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:PassRole",
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:ListPolicyVersions",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:GetInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
      ],
      Resource: [
        iam(`role/${prefix}*`),
        iam(`policy/${prefix}*`),
        iam(`instance-profile/${prefix}*`),
      ],
    },
    {
      Sid: "ManageClusterOidcProviders",
      Effect: "Allow",
      Action: [
        "iam:CreateOpenIDConnectProvider",
        "iam:DeleteOpenIDConnectProvider",
        "iam:GetOpenIDConnectProvider",
        "iam:TagOpenIDConnectProvider",
        "iam:UntagOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
      ],
      Resource: iam("oidc-provider/oidc.eks.*.amazonaws.com/id/*"),
    },
    {
      Sid: "ReadAwsManagedPolicies",
      Effect: "Allow",
      Action: ["iam:GetPolicy", "iam:GetPolicyVersion"],
      Resource: `arn:${partition}:iam::aws:policy/*`,
    },
    {
      Sid: "CreateServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLES] } },
    },
  );
}
