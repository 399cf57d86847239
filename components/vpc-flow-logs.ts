import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Protection, statefulOptions } from "../lib/protection";
import { withName } from "../lib/tags";

/** What {@link createFlowLogs} needs from the VPC component. */
export interface FlowLogsArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly retentionDays: number;
  readonly protection: Protection;
  readonly tags: Record<string, string>;
}

/** The flow log's destination, for outputs. */
export interface FlowLogs {
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly role: aws.iam.Role;
  readonly flowLog: aws.ec2.FlowLog;
}

/**
 * Records every accepted and rejected flow of the VPC to a CloudWatch log group, through an
 * IAM role that only the flow logs service of this account can assume and that may only write
 * to that one log group.
 */
export function createFlowLogs(
  name: string,
  args: FlowLogsArgs,
  parent: pulumi.Resource,
): FlowLogs {
  const opts = { parent };
  const logGroup = new aws.cloudwatch.LogGroup(
    name,
    { retentionInDays: args.retentionDays, tags: withName(args.tags, name) },
    statefulOptions(args.protection, opts),
  );

  const identity = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  const region = aws.getRegionOutput({}, opts);
  // The confused-deputy guard AWS recommends: only flow logs owned by this account.
  const assumeRolePolicy = pulumi
    .all([identity.accountId, partition.partition, region.region])
    .apply(([account, part, reg]) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": account },
              ArnLike: { "aws:SourceArn": `arn:${part}:ec2:${reg}:${account}:vpc-flow-log/*` },
            },
          },
        ],
      }),
    );
  const role = new aws.iam.Role(
    name,
    {
      description: "Lets VPC flow logs write to their own log group",
      assumeRolePolicy,
      tags: withName(args.tags, name),
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    name,
    {
      role: role.id,
      policy: logGroup.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: [
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogGroups",
                "logs:DescribeLogStreams",
              ],
              // The group itself and its streams (`<arn>:log-stream:<name>`), nothing else.
              Resource: [arn, `${arn}:*`],
            },
          ],
        }),
      ),
    },
    opts,
  );
  const flowLog = new aws.ec2.FlowLog(
    name,
    {
      vpcId: args.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: withName(args.tags, name),
    },
    // The role must be able to write before the service first assumes it.
    { parent, dependsOn: [policy] },
  );
  return { logGroup, role, flowLog };
}
