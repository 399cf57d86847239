// The bucket policy that lets Elastic Load Balancing write an ALB's access logs, as the ALB guide
// states it ("Enable access logs for your Application Load Balancer", Step 2: attach a policy):
// regions available before August 2022 deliver as the regional ELB account, later ones as the
// `logdelivery.elasticloadbalancing.amazonaws.com` service principal; granting both works in
// every region. Objects land under `<prefix>/AWSLogs/<account id>/`. Plain HTTP is denied.

import { denyInsecureTransport } from "./s3";

/** The service principal of ELB log delivery in regions opened since August 2022. */
export const ELB_LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";

/** The key prefix of the ALB access logs in the bucket. */
export const ACCESS_LOG_PREFIX = "alb";

/** The access-log bucket policy document. */
export function accessLogBucketPolicy(input: {
  readonly bucketArn: string;
  readonly accountId: string;
  readonly elbAccountArn: string;
  readonly prefix: string;
}) {
  const objects = `${input.bucketArn}/${input.prefix}/AWSLogs/${input.accountId}/*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ElbAccountWritesLogs",
        Effect: "Allow",
        Principal: { AWS: input.elbAccountArn },
        Action: "s3:PutObject",
        Resource: objects,
      },
      {
        Sid: "ElbLogDeliveryWritesLogs",
        Effect: "Allow",
        Principal: { Service: ELB_LOG_DELIVERY_PRINCIPAL },
        Action: "s3:PutObject",
        Resource: objects,
      },
      denyInsecureTransport(input.bucketArn),
    ],
  };
}
