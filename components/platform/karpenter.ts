import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValidArgs, shown } from "../../lib/args";
import { CHARTS } from "../../lib/charts";
import { DISCOVERY_TAG, karpenterValues, nodeClassSpec } from "../../lib/karpenter";
import { NODE_CLASS_NAME, NodePoolConfig, nodePoolSpec } from "../../lib/node-pools";
import { AMI_ALIAS } from "../../lib/versions";
import { partitionOf } from "../eks/args";
import { createControllerIdentity, createNodeIdentity } from "./karpenter-iam";
import { createInterruptionQueue } from "./karpenter-interruption";

/**
 * How long a destroy waits for the EC2NodeClass to go: its finalizer holds it until every
 * NodeClaim using it has drained its node (up to the NodePools' 15-minute termination grace
 * period) and terminated the instance. The Kubernetes provider's default is 10 minutes.
 */
export const NODE_CLASS_DELETE_TIMEOUT = "30m";

/** The arguments of {@link Karpenter}. */
export interface KarpenterArgs {
  /** The EKS cluster name, resolved (depend on the cluster through it). @default - none */
  readonly clusterName: pulumi.Input<string>;
  /** The AWS region, for the controller and the policy scopes. @default - none */
  readonly region: string;
  /** The cluster security group, shared by the control plane and every node; tagged for discovery. @default - none */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** The Kubernetes provider of the cluster. @default - none */
  readonly provider: k8s.Provider;
  /** Prefix of the IAM and SQS names (lib/naming.ts `namePrefix`), unique per stack. @default - none */
  readonly namePrefix: string;
  /** NodePools by name (config `nodePools`). @default - none (at least one) */
  readonly nodePools: Readonly<Record<string, NodePoolConfig>>;
  /** The AL2023 AMI alias of the nodes, pinned to a release (config `nodeAmiAlias`). @default - none */
  readonly amiAlias: string;
  /** Controller replicas, 1 to 3; two or more run on different nodes. @default 1 */
  readonly replicas?: number;
  /** What the controller needs first: the system node groups it runs on, and the private egress it calls AWS through. @default [] */
  readonly requires?: pulumi.Resource[];
  /** Tags for the AWS resources here and on every instance, volume and interface Karpenter launches. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Every problem with {@link KarpenterArgs}, one sentence each. */
export function validateKarpenterArgs(args: KarpenterArgs): string[] {
  const problems: string[] = [];
  const replicas = args.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 3) {
    problems.push(`replicas must be a whole number from 1 to 3; got ${shown(replicas)}`);
  }
  if (Object.keys(args.nodePools).length === 0) {
    problems.push("nodePools must define at least one NodePool");
  }
  if (!AMI_ALIAS.test(args.amiAlias)) {
    problems.push(
      `amiAlias must be an AL2023 alias pinned to a release; got ${shown(args.amiAlias)}`,
    );
  }
  return problems;
}

/**
 * Karpenter: nodes that follow the workload. The CRDs as their own Helm release (so chart
 * upgrades upgrade them), the controller on the system node group with Pod Identity, the
 * interruption queue, a node role with an `EC2_LINUX` access entry, one EC2NodeClass and a
 * NodePool per config entry.
 *
 * Destroy order, from the dependency edges: workloads (which depend on {@link nodePools}) go
 * first; then the NodePools, whose NodeClaims Kubernetes deletes and Karpenter drains and
 * terminates; the EC2NodeClass, whose finalizer waits until no NodeClaim uses it and then
 * deletes the instance profile; only then the controller, its IAM, the queue, the node role
 * and, through `requires`, the network.
 *
 * Sources for that wait: NodeClaims carry an ownerReference to their NodePool with
 * blockOwnerDeletion (kubernetes-sigs/karpenter, provisioning suite_test "owner reference"), so
 * garbage collection deletes them; each NodeClaim's finalizer holds it while the node drains and
 * the instance terminates (Karpenter docs, concepts/disruption "Control Flow"); the EC2NodeClass
 * finalizer requeues while NodeClaims use it, publishing `WaitingOnNodeClaimTermination`
 * (aws/karpenter-provider-aws pkg/controllers/nodeclass/events.go); and the Kubernetes provider
 * waits for a deleted object to be gone, up to `customTimeouts.delete` (pulumi-kubernetes #802).
 */
export class Karpenter extends pulumi.ComponentResource {
  /** The NodePools: every workload scheduled on Karpenter's nodes depends on them. */
  public readonly nodePools: k8s.apiextensions.CustomResource[];
  /** The EC2NodeClass the NodePools use. */
  public readonly nodeClass: k8s.apiextensions.CustomResource;
  /** The controller's Helm release. */
  public readonly release: k8s.helm.v3.Release;
  /** The role of the nodes Karpenter launches. */
  public readonly nodeRoleArn: pulumi.Output<string>;
  /** The interruption queue's name. */
  public readonly queueName: pulumi.Output<string>;

  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("Karpenter", validateKarpenterArgs(args));
    super("platform:k8s:Karpenter", name, {}, opts);
    const tags = { ...args.tags };
    const partition = partitionOf(args.region);
    const k8sOpts = { parent: this, provider: args.provider };
    const [crdChart, chart] = [CHARTS.karpenterCrd, CHARTS.karpenter];

    const interruption = createInterruptionQueue(name, { namePrefix: args.namePrefix, tags }, this);
    const node = createNodeIdentity(name, { clusterName: args.clusterName, partition, tags }, this);
    const controller = createControllerIdentity(
      name,
      {
        clusterName: args.clusterName,
        namespace: chart.namespace,
        partition,
        region: args.region,
        nodeRoleArn: node.role.arn,
        queueArn: interruption.queue.arn,
        namePrefix: args.namePrefix,
        tags,
      },
      this,
    );
    // The node security group is the cluster security group EKS creates, so it is tagged here.
    // The private subnets carry the same tag from the Vpc; nothing public does.
    const sgTag = new aws.ec2.Tag(
      `${name}-discovery`,
      { resourceId: args.nodeSecurityGroupId, key: DISCOVERY_TAG, value: args.clusterName },
      { parent: this },
    );

    const crds = new k8s.helm.v3.Release(
      `${name}-crd`,
      {
        name: crdChart.chart,
        chart: `${crdChart.repo}/${crdChart.chart}`,
        version: crdChart.version,
        namespace: crdChart.namespace,
        maxHistory: 5,
      },
      // Like every release: installed once the nodes and the egress path exist, removed first.
      { ...k8sOpts, dependsOn: args.requires ?? [] },
    );
    this.release = new k8s.helm.v3.Release(
      name,
      {
        name: chart.chart,
        chart: `${chart.repo}/${chart.chart}`,
        version: chart.version,
        namespace: chart.namespace,
        // The karpenter-crd release owns the CRDs; the copies in this chart's crds/ are skipped.
        skipCrds: true,
        values: karpenterValues({
          clusterName: args.clusterName,
          region: args.region,
          interruptionQueue: interruption.queue.name,
          replicas: args.replicas ?? 1,
        }),
        cleanupOnFail: true,
        maxHistory: 5,
      },
      {
        ...k8sOpts,
        dependsOn: [crds, controller.association, ...interruption.wiring, ...(args.requires ?? [])],
      },
    );

    this.nodeClass = new k8s.apiextensions.CustomResource(
      `${name}-nodeclass`,
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: NODE_CLASS_NAME },
        spec: nodeClassSpec({
          clusterName: args.clusterName,
          nodeRoleName: node.role.name,
          amiAlias: args.amiAlias,
          tags,
        }),
      },
      {
        ...k8sOpts,
        // Nodes need their role's policies and access entry to join, and the tagged subnets
        // and security group to launch into; the controller must outlive this resource, whose
        // finalizer it processes.
        dependsOn: [this.release, crds, node.accessEntry, ...node.attachments, sgTag],
        customTimeouts: { delete: NODE_CLASS_DELETE_TIMEOUT },
      },
    );
    this.nodePools = Object.entries(args.nodePools).map(
      ([pool, settings]) =>
        new k8s.apiextensions.CustomResource(
          `${name}-pool-${pool}`,
          {
            apiVersion: "karpenter.sh/v1",
            kind: "NodePool",
            metadata: { name: pool },
            spec: nodePoolSpec(settings),
          },
          {
            ...k8sOpts,
            dependsOn: [this.nodeClass, this.release],
            customTimeouts: { delete: NODE_CLASS_DELETE_TIMEOUT },
          },
        ),
    );

    this.nodeRoleArn = node.role.arn;
    this.queueName = interruption.queue.name;
    this.registerOutputs({ nodeRoleArn: this.nodeRoleArn, queueName: this.queueName });
  }
}
