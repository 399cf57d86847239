import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOG_PREFIX, accessLogBucketPolicy } from "../../lib/access-logs";
import { Protection, statefulOptions } from "../../lib/protection";
import { withName } from "../../lib/tags";

/** The arguments of {@link AccessLogBucket}. */
export interface AccessLogBucketArgs {
  /** Days a log object is kept. @default - none */
  readonly retentionDays: number;
  /** `protect` for the bucket; a protected bucket is also never force-emptied. @default - none */
  readonly protection: Protection;
  /** Tags for the bucket. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The S3 bucket the ALBs write access logs to: encrypted with S3-managed keys (the only
 * server-side encryption ALB log delivery supports, per the ALB guide's access-log
 * requirements), no public access, objects owned by the bucket owner, logs expiring after
 * `retentionDays`, and a policy granting ELB log delivery write access and nothing else.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  /** The bucket name, for the `access_logs.s3.bucket` attribute. */
  public readonly bucketName: pulumi.Output<string>;
  /** The key prefix under which the ALBs write. */
  public readonly prefix = ACCESS_LOG_PREFIX;
  /** The bucket policy: the ALB can only enable logging once it is in place. */
  public readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:aws:AccessLogBucket", name, {}, opts);
    const tags = withName({ ...args.tags }, name);
    const bucket = new aws.s3.Bucket(
      name,
      // A protected (production) bucket keeps its logs: destroy fails until it is emptied.
      { forceDestroy: !args.protection.protect, tags },
      statefulOptions(args.protection, { parent: this }),
    );
    const ownership = new aws.s3.BucketOwnershipControls(
      name,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      name,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      name,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      { parent: this },
    );
    const account = aws.getCallerIdentityOutput({}, { parent: this });
    // The regional ELB account, from the provider's built-in table (no API call).
    const elb = aws.elb.getServiceAccountOutput({}, { parent: this });
    this.policy = new aws.s3.BucketPolicy(
      name,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, account.accountId, elb.arn])
          .apply(([bucketArn, accountId, elbAccountArn]) =>
            JSON.stringify(
              accessLogBucketPolicy({ bucketArn, accountId, elbAccountArn, prefix: this.prefix }),
            ),
          ),
      },
      { parent: this, dependsOn: [publicAccess, ownership] },
    );
    this.bucketName = bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
