/** The partitions an ARN may name: aws, aws-cn, aws-us-gov. */
export const ARN_PARTITION = "arn:aws(-cn|-us-gov)?";

/**
 * An IAM role or user ARN: what EKS access entries accept. Assumed-role session ARNs
 * (`arn:aws:sts::...:assumed-role/...`) are refused there, so they are refused here too.
 */
export const IAM_PRINCIPAL_ARN = new RegExp(
  `^${ARN_PARTITION}:iam::\\d{12}:(role|user)/[\\w+=,.@/-]{1,512}$`,
);

/** An IAM role ARN. */
export const ROLE_ARN = new RegExp(`^${ARN_PARTITION}:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$`);
