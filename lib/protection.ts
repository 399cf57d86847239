import * as pulumi from "@pulumi/pulumi";

/**
 * Resource types that hold state a `pulumi up` must never delete or replace by accident.
 * The preview guard, the policy pack and the protection tests all read this one list.
 */
export const STATEFUL_TYPES = [
  "aws:ecr/repository:Repository",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:kms/key:Key",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:secretsmanager/secret:Secret",
  // The front door's access logs: a replacement would empty them.
  "aws:s3/bucket:Bucket",
] as const;

/** The stack-wide protection settings, from config. */
export interface Protection {
  /** Set Pulumi's `protect` on every stateful resource: delete and replace then fail. */
  readonly protect: boolean;
}

/**
 * The resource options of a stateful resource: the one place `protect` is decided, so a test
 * of this function plus the recorded `protect` flag of every stateful resource prove the rule.
 */
export function statefulOptions(
  protection: Protection,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
  return { ...opts, protect: protection.protect };
}
