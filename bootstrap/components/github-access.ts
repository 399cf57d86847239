import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ciRoleName } from "../config";
import {
  GITHUB_OIDC_HOST,
  STS_AUDIENCE,
  deployIamPolicy,
  deploySubjects,
  githubTrustPolicy,
  previewSubjects,
} from "../policies";

/** Arguments of {@link GithubActionsAccess}. */
export interface GithubActionsAccessArgs {
  /** The repository whose workflows may assume the roles, `owner/name`. */
  readonly repository: string;
  /** GitHub environments whose jobs may assume the deploy role. */
  readonly environments: readonly string[];
  /** The branch whose pushes and schedules may assume the preview role. @default "main" */
  readonly mainBranch?: string;
  /** The account's existing GitHub OIDC provider. @default - one is created */
  readonly existingProviderArn?: string;
  /** Prefix of the IAM roles and policies the deploy role may manage. @default "platform-" */
  readonly managedNamePrefix?: string;
  /** Longest deploy session in seconds: a new cluster takes a while. @default 7200 */
  readonly deploySessionSeconds?: number;
  /** Tags for every taggable child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A CI role: name for policies, ARN for workflows. */
export interface CiRole {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

/**
 * GitHub Actions' access to AWS through OIDC, no stored keys: the identity provider, a deploy
 * role only jobs running in the repository's GitHub environments can assume, and a read-only
 * preview role for pull request previews and the main branch's drift checks.
 */
export class GithubActionsAccess extends pulumi.ComponentResource {
  /** ARN of the token.actions.githubusercontent.com provider. */
  public readonly providerArn: pulumi.Output<string>;
  /** PowerUserAccess plus the platform's own IAM; deploy jobs (environments) only. */
  public readonly deployRole: CiRole;
  /** ReadOnlyAccess; pull request previews and drift checks. */
  public readonly previewRole: CiRole;

  constructor(name: string, args: GithubActionsAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:bootstrap:GithubActionsAccess", name, {}, opts);
    const tags = { ...args.tags };
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    // One provider per URL per account: reuse the account's when there is one.
    this.providerArn = args.existingProviderArn
      ? pulumi.output(args.existingProviderArn)
      : new aws.iam.OpenIdConnectProvider(
          `${name}-github`,
          { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [STS_AUDIENCE], tags },
          { parent: this },
        ).arn;

    const role = (
      purpose: "deploy" | "preview",
      subjects: string[],
      maxSessionDuration: number,
    ) => {
      const r = new aws.iam.Role(
        `${name}-${purpose}`,
        {
          name: ciRoleName(args.repository, purpose),
          description: `GitHub Actions (${args.repository}) ${purpose} role, assumed through OIDC`,
          assumeRolePolicy: this.providerArn.apply((arn) =>
            JSON.stringify(githubTrustPolicy(arn, subjects)),
          ),
          maxSessionDuration,
          tags,
        },
        { parent: this },
      );
      return { resource: r, role: { name: r.name, arn: r.arn } };
    };

    const deploy = role(
      "deploy",
      deploySubjects(args.repository, args.environments),
      args.deploySessionSeconds ?? 7200,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-deploy-power-user`,
      {
        role: deploy.resource.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/PowerUserAccess`,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-deploy-iam`,
      {
        role: deploy.resource.name,
        policy: pulumi
          .all([partition, account])
          .apply(([p, a]) =>
            JSON.stringify(deployIamPolicy(p, a, args.managedNamePrefix ?? "platform-")),
          ),
      },
      { parent: this },
    );

    const preview = role(
      "preview",
      previewSubjects(args.repository, args.mainBranch ?? "main"),
      3600,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-preview-read-only`,
      {
        role: preview.resource.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/ReadOnlyAccess`,
      },
      { parent: this },
    );

    this.deployRole = deploy.role;
    this.previewRole = preview.role;
    this.registerOutputs({
      providerArn: this.providerArn,
      deployRoleArn: this.deployRole.arn,
      previewRoleArn: this.previewRole.arn,
    });
  }
}
