import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValidArgs, shown } from "../../lib/args";
import {
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  loadBalancerControllerValues,
} from "../../lib/chart-values";
import { CHARTS } from "../../lib/charts";
import { withName } from "../../lib/tags";
import { PodIdentityRole } from "../pod-identity";
import iamPolicy from "./policies/aws-load-balancer-controller.json";

/** Controller replicas: two, so one can be drained or lost without stalling reconciliation. */
export const DEFAULT_CONTROLLER_REPLICAS = 2;

/** The arguments of {@link LoadBalancerController}. */
export interface LoadBalancerControllerArgs {
  /** The EKS cluster name; the controller tags what it creates with it. @default - none */
  readonly clusterName: pulumi.Input<string>;
  /** The VPC the load balancers go in. @default - none */
  readonly vpcId: pulumi.Input<string>;
  /** The AWS region. @default - none */
  readonly region: pulumi.Input<string>;
  /** The Kubernetes provider of the cluster. @default - none */
  readonly provider: k8s.Provider;
  /** Prefix of the IAM policy and role names (lib/naming.ts `namePrefix`), unique per stack. @default - none */
  readonly namePrefix: string;
  /** Controller replicas, 1 to 5. @default 2 */
  readonly replicas?: number;
  /** What the controller needs first: the node groups its pods run on. @default [] */
  readonly requires?: pulumi.Resource[];
  /** Tags for the IAM resources and for every AWS resource the controller creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Every problem with {@link LoadBalancerControllerArgs}, one sentence each. */
export function validateLoadBalancerControllerArgs(args: LoadBalancerControllerArgs): string[] {
  const replicas = args.replicas ?? DEFAULT_CONTROLLER_REPLICAS;
  return Number.isInteger(replicas) && replicas >= 1 && replicas <= 5
    ? []
    : [`replicas must be a whole number from 1 to 5; got ${shown(replicas)}`];
}

/**
 * The AWS Load Balancer Controller, which turns LoadBalancer Services into NLBs: a pinned Helm
 * release in kube-system, with the upstream IAM policy (a data file beside this one, with its
 * source and version) granted through EKS Pod Identity. Services with an NLB depend on
 * {@link release}, so a destroy deletes them (and the controller removes their NLBs) first.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
  /** The Helm release: the dependency of every LoadBalancer Service. */
  public readonly release: k8s.helm.v3.Release;
  /** The controller's IAM role. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(
    name: string,
    args: LoadBalancerControllerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    assertValidArgs("LoadBalancerController", validateLoadBalancerControllerArgs(args));
    super("platform:k8s:LoadBalancerController", name, {}, opts);
    const tags = { ...args.tags };
    const chart = CHARTS.awsLoadBalancerController;
    const prefix = args.namePrefix;

    const policy = new aws.iam.Policy(
      `${prefix}-lbc`,
      {
        description: `AWS Load Balancer Controller ${chart.appVersion}, upstream iam_policy.json`,
        policy: JSON.stringify(iamPolicy),
        tags: withName(tags, `${prefix}-lbc`),
      },
      { parent: this },
    );
    const identity = new PodIdentityRole(
      `${name}-aws`,
      {
        clusterName: args.clusterName,
        namespace: chart.namespace,
        serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
        policyArns: [policy.arn],
        roleName: `${prefix}-lbc`,
        description: "AWS Load Balancer Controller",
        tags,
      },
      { parent: this },
    );

    this.release = new k8s.helm.v3.Release(
      name,
      {
        name: chart.chart,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        namespace: chart.namespace,
        values: loadBalancerControllerValues({
          clusterName: args.clusterName,
          region: args.region,
          vpcId: args.vpcId,
          replicas: args.replicas ?? DEFAULT_CONTROLLER_REPLICAS,
          tags,
        }),
        cleanupOnFail: true,
        maxHistory: 5,
      },
      {
        parent: this,
        provider: args.provider,
        // Credentials are injected at pod admission, and pods need nodes to run on.
        dependsOn: [identity.association, ...(args.requires ?? [])],
      },
    );
    this.roleArn = identity.roleArn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
