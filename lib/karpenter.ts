import type * as pulumi from "@pulumi/pulumi";
import { KARPENTER_LABELS } from "./node-pools";

/**
 * Karpenter's pieces as plain objects, so tests read them without a cluster. Chart value names
 * were checked against charts/karpenter/values.yaml and README.md of aws/karpenter-provider-aws
 * (the stored copy is 0.35.x: replicas, podDisruptionBudget, serviceAccount, settings.clusterName,
 * settings.interruptionQueue, tolerations, affinity, controller.env, controller.resources), the
 * keys the v1 getting-started and migration guides still set; `helm show values
 * oci://public.ecr.aws/karpenter/karpenter --version 1.10.0` confirms them before a bump. CRD
 * fields follow the v1.10 docs (concepts/nodeclasses, concepts/nodepools).
 */

/** The service account the controller runs as (Pod Identity binds to it). */
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";

/** The tag Karpenter's EC2NodeClass selects private subnets and the node security group by. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";

/**
 * The taint of the system node group: only pods that tolerate it (the platform's add-ons) run
 * there, so workloads land on Karpenter's nodes and Karpenter never evicts itself. EKS Auto Mode
 * and Karpenter's own chart use the same key.
 */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" };

/** The toleration every add-on on the system node group carries. */
export const SYSTEM_TOLERATION = { key: SYSTEM_TAINT.key, operator: "Exists" } as const;

/** Node affinity keeping a pod off the nodes Karpenter launches (they carry the NodePool label). */
export const NOT_ON_KARPENTER_NODES = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: KARPENTER_LABELS.nodePool, operator: "DoesNotExist" }] },
      ],
    },
  },
};

/** Values of the karpenter chart. */
export function karpenterValues(input: {
  readonly clusterName: pulumi.Input<string>;
  readonly region: string;
  readonly interruptionQueue: pulumi.Input<string>;
  readonly replicas: number;
}) {
  return {
    replicas: input.replicas,
    // With one replica the budget still lets a drain evict it; with two it keeps one running.
    podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
    serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
    settings: { clusterName: input.clusterName, interruptionQueue: input.interruptionQueue },
    // The chart's default affinity (never on a node it launches, one replica per node), stated
    // here so a chart bump cannot drop it; and the system group's taint tolerated.
    affinity: {
      ...NOT_ON_KARPENTER_NODES,
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname" }],
      },
    },
    tolerations: [SYSTEM_TOLERATION],
    controller: {
      // The SDK would ask IMDS for the region, which a hop limit of 1 keeps from pods.
      env: [{ name: "AWS_REGION", value: input.region }],
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
    },
    logLevel: "info",
  };
}

/** The root volume of the nodes Karpenter launches, in GiB. */
export const NODE_ROOT_VOLUME_GIB = 50;

/**
 * The `spec` of the `karpenter.k8s.aws/v1` EC2NodeClass: the hardening of the managed node
 * groups' launch templates (IMDSv2 only, hop limit 1, an encrypted gp3 root volume, no public
 * IP), private subnets and the node security group found by the discovery tag, a pinned AL2023
 * AMI release, the node role (Karpenter creates and deletes the instance profile), stack tags.
 */
export function nodeClassSpec(input: {
  readonly clusterName: pulumi.Input<string>;
  readonly nodeRoleName: pulumi.Input<string>;
  readonly amiAlias: string;
  readonly rootVolumeGiB?: number;
  readonly tags: Readonly<Record<string, string>>;
}) {
  const discovery = [{ tags: { [DISCOVERY_TAG]: input.clusterName } }];
  return {
    role: input.nodeRoleName,
    amiSelectorTerms: [{ alias: input.amiAlias }],
    subnetSelectorTerms: discovery,
    securityGroupSelectorTerms: discovery,
    metadataOptions: {
      httpEndpoint: "enabled",
      httpProtocolIPv6: "disabled",
      httpPutResponseHopLimit: 1,
      httpTokens: "required",
    },
    blockDeviceMappings: [
      {
        deviceName: "/dev/xvda",
        rootVolume: true,
        ebs: {
          volumeSize: `${input.rootVolumeGiB ?? NODE_ROOT_VOLUME_GIB}Gi`,
          volumeType: "gp3",
          encrypted: true,
          deleteOnTermination: true,
        },
      },
    ],
    associatePublicIPAddress: false,
    tags: { ...input.tags },
  };
}

/**
 * The EventBridge rules that feed Karpenter's interruption queue, as the getting-started
 * CloudFormation template (v1.10, reference/cloudformation.md "Rules") defines them. The fifth
 * upstream rule (capacity reservation interruptions) matters only with interruptible ODCRs.
 */
export const INTERRUPTION_RULES = {
  "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  "spot-interruption": {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Spot Instance Interruption Warning"],
  },
  rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  "instance-state-change": {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Instance State-change Notification"],
  },
} as const;

/** How long the queue keeps a message: Karpenter's template uses 300 s (a spot warning is 2 min). */
export const INTERRUPTION_RETENTION_SECONDS = 300;

/** The interruption queue's policy: EventBridge may send; nothing may use it without TLS. */
export function interruptionQueuePolicy(queueArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "EC2InterruptionPolicy",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
        Action: "sqs:SendMessage",
        Resource: queueArn,
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
        Principal: "*",
      },
    ],
  });
}

/** The values the upstream controller policies are written against (CloudFormation names). */
export interface PolicyVariables {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}

/**
 * An upstream policy document with its CloudFormation `${...}` references filled in. Throws on
 * a reference it does not know, so an upstream update cannot ship a literal `${...}`.
 */
export function renderPolicy(document: unknown, v: PolicyVariables): string {
  const known: Record<string, string> = {
    "AWS::Partition": v.partition,
    "AWS::Region": v.region,
    "AWS::AccountId": v.accountId,
    ClusterName: v.clusterName,
    "KarpenterNodeRole.Arn": v.nodeRoleArn,
    "KarpenterInterruptionQueue.Arn": v.queueArn,
  };
  return JSON.stringify(document).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const value = known[name];
    if (value === undefined) throw new Error(`unknown reference \${${name}} in a Karpenter policy`);
    return value;
  });
}
