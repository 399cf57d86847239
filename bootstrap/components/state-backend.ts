import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  secretsKeyPolicy,
  stateReaderPolicy,
  stateWriterPolicy,
  tlsOnlyBucketPolicy,
} from "../policies";

/** A role that uses the state: its name (for inline policies) and ARN (for the key policy). */
export interface StateUser {
  readonly name: pulumi.Input<string>;
  readonly arn: pulumi.Input<string>;
}

/** Arguments of {@link StateBackend}. */
export interface StateBackendArgs {
  /** Physical bucket name. @default - generated from the component name, globally unique */
  readonly bucketName?: string;
  /** Alias of the secrets key, `alias/...`. */
  readonly keyAlias: string;
  /** Roles that write state and encrypt secrets (deploys). @default [] */
  readonly writers?: readonly StateUser[];
  /** Roles that read state, decrypt secrets and take locks (previews). @default [] */
  readonly readers?: readonly StateUser[];
  /** Days a replaced state file version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Pulumi `protect` on the bucket and the key. @default true */
  readonly protect?: boolean;
  /** Waiting period before a deleted key is destroyed, days. @default 30 */
  readonly keyDeletionWindowDays?: number;
  /** Tags for every taggable child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const DEFAULT_NONCURRENT_DAYS = 90;
const DEFAULT_KEY_DELETION_WINDOW_DAYS = 30;
/** Noncurrent versions kept whatever their age, so a bad deploy can always be rolled back. */
const NONCURRENT_VERSIONS_KEPT = 10;

/**
 * A self-managed Pulumi backend: a versioned, KMS-encrypted, private, TLS-only S3 bucket for
 * state, and a rotating KMS key for the `awskms://` secrets provider, granted to the CI roles.
 */
export class StateBackend extends pulumi.ComponentResource {
  /** The state bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The state bucket's ARN. */
  public readonly bucketArn: pulumi.Output<string>;
  /** The secrets key's ARN. */
  public readonly keyArn: pulumi.Output<string>;
  /** The secrets key's alias, `alias/...`. */
  public readonly keyAlias: pulumi.Output<string>;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:bootstrap:StateBackend", name, {}, opts);
    const tags = { ...args.tags };
    const protect = args.protect ?? true;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    const key = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: "Pulumi secrets provider (awskms://) and state bucket encryption",
        enableKeyRotation: true,
        deletionWindowInDays: args.keyDeletionWindowDays ?? DEFAULT_KEY_DELETION_WINDOW_DAYS,
        policy: pulumi
          .all([
            partition,
            account,
            pulumi.all((args.writers ?? []).map((u) => u.arn)),
            pulumi.all((args.readers ?? []).map((u) => u.arn)),
          ])
          .apply(([p, a, writers, readers]) =>
            JSON.stringify(secretsKeyPolicy(`arn:${p}:iam::${a}:root`, { writers, readers })),
          ),
        tags,
      },
      { parent: this, protect },
    );
    const alias = new aws.kms.Alias(
      `${name}-secrets`,
      { name: args.keyAlias, targetKeyId: key.keyId },
      { parent: this },
    );

    const bucket = new aws.s3.Bucket(
      `${name}-state`,
      { bucket: args.bucketName, forceDestroy: false, tags },
      { parent: this, protect },
    );
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-state`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-state`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent: this },
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-state`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-state`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: key.arn,
            },
            // One data key per bucket instead of a KMS call per object: cheaper, same protection.
            bucketKeyEnabled: true,
          },
        ],
      },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-state`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-old-state-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: {
              noncurrentDays: args.noncurrentVersionDays ?? DEFAULT_NONCURRENT_DAYS,
              newerNoncurrentVersions: NONCURRENT_VERSIONS_KEPT,
            },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    // After the public access block and ownership controls, as AWS applies them in that order.
    new aws.s3.BucketPolicy(
      `${name}-state`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
      },
      { parent: this, dependsOn: [publicAccess, ownership] },
    );

    const grant = (user: StateUser, i: number, kind: "writer" | "reader") =>
      new aws.iam.RolePolicy(
        `${name}-${kind}-${i}`,
        {
          role: user.name,
          policy: pulumi
            .all([bucket.arn, key.arn])
            .apply(([b, k]) =>
              JSON.stringify(kind === "writer" ? stateWriterPolicy(b, k) : stateReaderPolicy(b, k)),
            ),
        },
        { parent: this },
      );
    (args.writers ?? []).forEach((u, i) => grant(u, i, "writer"));
    (args.readers ?? []).forEach((u, i) => grant(u, i, "reader"));

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.keyAlias = alias.name;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
      keyAlias: this.keyAlias,
    });
  }
}
