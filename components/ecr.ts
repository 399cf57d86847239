import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertValidArgs, shown } from "../lib/args";
import { NAME_LIMITS } from "../lib/naming";
import { Protection, statefulOptions } from "../lib/protection";
import { withName } from "../lib/tags";

/** Days an untagged image (a build cache layer, a replaced manifest) is kept. */
export const DEFAULT_UNTAGGED_EXPIRY_DAYS = 7;
/** Tagged images kept: enough to roll back well past the last few deployments. */
export const DEFAULT_KEEP_TAGGED_IMAGES = 30;

/** The arguments of {@link EcrRepository}. */
export interface EcrRepositoryArgs {
  /** The repository name; derive it with `repositoryName()` from lib/naming.ts. @default - none (required) */
  readonly repositoryName: string;
  /** A customer KMS key ARN; empty or undefined uses the AWS-managed `aws/ecr` key. @default "" */
  readonly kmsKeyArn?: string;
  /** Expire untagged images this many days after push, 1 to 365. @default 7 */
  readonly untaggedExpiryDays?: number;
  /** Keep this many of the most recently pushed tagged images, 1 to 1000. @default 30 */
  readonly keepTaggedImages?: number;
  /** Let a destroy delete the repository while it still holds images. @default false */
  readonly forceDelete?: boolean;
  /** Whether the repository is protected from delete and replace. @default - none (required) */
  readonly protection: Protection;
  /** Tags for the repository, on top of which it gets a `Name`. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

// ECR's own rule: path components of lower-case letters and digits joined by . _ or -.
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const KMS_KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]{36}$/;

/** Every problem with an {@link EcrRepositoryArgs}, one sentence each; empty when valid. */
export function validateEcrRepositoryArgs(args: EcrRepositoryArgs): string[] {
  const problems: string[] = [];
  const name = args.repositoryName;
  if (name.length < 2 || name.length > NAME_LIMITS.ecrRepository || !REPOSITORY_NAME.test(name)) {
    problems.push(
      `repositoryName must be 2 to ${NAME_LIMITS.ecrRepository} characters of lower-case letters and digits, separated by '.', '_', '-' or '/'; got ${shown(name)}`,
    );
  }
  const kms = args.kmsKeyArn ?? "";
  if (kms !== "" && !KMS_KEY_ARN.test(kms)) {
    problems.push(`kmsKeyArn must be empty or a KMS key ARN; got ${shown(kms)}`);
  }
  const range = (field: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      problems.push(`${field} must be a whole number from ${min} to ${max}; got ${shown(value)}`);
    }
  };
  range("untaggedExpiryDays", args.untaggedExpiryDays, 1, 365);
  range("keepTaggedImages", args.keepTaggedImages, 1, 1000);
  return problems;
}

/** One rule of an ECR lifecycle policy, as the ECR API documents it. */
export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: {
    readonly tagStatus: "tagged" | "untagged" | "any";
    readonly tagPatternList?: readonly string[];
    readonly countType: "imageCountMoreThan" | "sinceImagePushed";
    readonly countUnit?: "days";
    readonly countNumber: number;
  };
  readonly action: { readonly type: "expire" };
}

/**
 * The lifecycle policy: untagged images expire `untaggedExpiryDays` after push, and only the
 * `keepTaggedImages` most recent tagged images are kept. `tagPatternList: ["*"]` matches every
 * tag, so the count applies whatever tags CI or the build use.
 */
export function lifecyclePolicy(
  untaggedExpiryDays: number,
  keepTaggedImages: number,
): { rules: LifecycleRule[] } {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${untaggedExpiryDays} days after push`,
        selection: {
          tagStatus: "untagged",
          countType: "sinceImagePushed",
          countUnit: "days",
          countNumber: untaggedExpiryDays,
        },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the ${keepTaggedImages} most recent tagged images`,
        selection: {
          tagStatus: "tagged",
          tagPatternList: ["*"],
          countType: "imageCountMoreThan",
          countNumber: keepTaggedImages,
        },
        action: { type: "expire" },
      },
    ],
  };
}

/**
 * An ECR repository for the app image: immutable tags (a tag always means the same image, so
 * a deployment is reproducible), a scan on every push, KMS encryption and a lifecycle policy.
 */
export class EcrRepository extends pulumi.ComponentResource {
  /** The repository URL, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`. */
  public readonly repositoryUrl: pulumi.Output<string>;
  /** The repository ARN, for IAM policies. */
  public readonly arn: pulumi.Output<string>;
  /** The repository name. */
  public readonly name: pulumi.Output<string>;

  constructor(name: string, args: EcrRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("EcrRepository", validateEcrRepositoryArgs(args));
    super("platform:registry:EcrRepository", name, {}, opts);
    const kmsKey = args.kmsKeyArn ?? "";

    const repository = new aws.ecr.Repository(
      name,
      {
        name: args.repositoryName,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        // Changing the encryption replaces the repository, with its images: choose once.
        encryptionConfigurations: [
          kmsKey === "" ? { encryptionType: "KMS" } : { encryptionType: "KMS", kmsKey },
        ],
        forceDelete: args.forceDelete ?? false,
        tags: withName({ ...args.tags }, args.repositoryName),
      },
      statefulOptions(args.protection, { parent: this }),
    );
    new aws.ecr.LifecyclePolicy(
      name,
      {
        repository: repository.name,
        policy: JSON.stringify(
          lifecyclePolicy(
            args.untaggedExpiryDays ?? DEFAULT_UNTAGGED_EXPIRY_DAYS,
            args.keepTaggedImages ?? DEFAULT_KEEP_TAGGED_IMAGES,
          ),
        ),
      },
      { parent: this },
    );

    this.repositoryUrl = repository.repositoryUrl;
    this.arn = repository.arn;
    this.name = repository.name;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl, arn: this.arn, name: this.name });
  }
}
