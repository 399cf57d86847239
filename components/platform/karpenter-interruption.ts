import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  INTERRUPTION_RETENTION_SECONDS,
  INTERRUPTION_RULES,
  interruptionQueuePolicy,
} from "../../lib/karpenter";
import { karpenterName } from "../../lib/naming";
import { withName } from "../../lib/tags";

/** What the controller reads interruption notices from. */
export interface InterruptionQueue {
  readonly queue: aws.sqs.Queue;
  /** The queue policy, the rules and their targets: the controller depends on all of them. */
  readonly wiring: pulumi.Resource[];
}

/**
 * Karpenter's interruption handling, as its getting-started template builds it: an SQS queue
 * (SSE with SQS-owned keys, five-minute retention), a policy letting EventBridge send to it over
 * TLS only, and EventBridge rules for spot interruption warnings, rebalance recommendations,
 * instance state changes and AWS Health events, each targeting the queue. Karpenter then
 * cordons and drains a node before EC2 reclaims it.
 */
export function createInterruptionQueue(
  name: string,
  args: { readonly namePrefix: string; readonly tags: Readonly<Record<string, string>> },
  parent: pulumi.Resource,
): InterruptionQueue {
  const tags = { ...args.tags };
  const queue = new aws.sqs.Queue(
    karpenterName(args.namePrefix),
    {
      messageRetentionSeconds: INTERRUPTION_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
      tags: withName(tags, karpenterName(args.namePrefix)),
    },
    { parent },
  );
  const policy = new aws.sqs.QueuePolicy(
    `${name}-interruption`,
    { queueUrl: queue.url, policy: queue.arn.apply(interruptionQueuePolicy) },
    { parent },
  );
  const wiring: pulumi.Resource[] = [policy];
  for (const [rule, pattern] of Object.entries(INTERRUPTION_RULES)) {
    const eventRule = new aws.cloudwatch.EventRule(
      `${name}-${rule}`,
      {
        description: `Karpenter interruption handling: ${pattern["detail-type"].join(", ")}`,
        eventPattern: JSON.stringify(pattern),
        tags: withName(tags, `${name}-${rule}`),
      },
      { parent },
    );
    const target = new aws.cloudwatch.EventTarget(
      `${name}-${rule}`,
      { rule: eventRule.name, arn: queue.arn, targetId: "KarpenterInterruptionQueueTarget" },
      // A target delivering before the queue policy allows it would drop the first events.
      { parent, dependsOn: [policy] },
    );
    wiring.push(eventRule, target);
  }
  return { queue, wiring };
}
