/**
 * The bucket-policy statement that refuses every request to a bucket not made over TLS
 * (`aws:SecureTransport`), shared by the state bucket and the ALB access-log bucket.
 */
export function denyInsecureTransport(bucketArn: string) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  } as const;
}
