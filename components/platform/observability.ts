import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { chartRelease } from "./chart-release";
import { LOG_RETENTION_DAYS } from "../../config/schema";
import { assertValidArgs, shown } from "../../lib/args";
import {
  FLUENT_BIT_SERVICE_ACCOUNT,
  fluentBitValues,
  kubePrometheusStackValues,
} from "../../lib/chart-values";
import { CHARTS, ChartKey, HOST_AGENTS_NAMESPACE } from "../../lib/charts";
import { Protection, statefulOptions } from "../../lib/protection";
import { withName } from "../../lib/tags";
import { PodIdentityRole } from "../pod-identity";

/** The arguments of {@link Observability}. */
export interface ObservabilityArgs {
  /** The EKS cluster name, for the log group and Pod Identity. @default - none */
  readonly clusterName: pulumi.Input<string>;
  /** The AWS region Fluent Bit ships logs to. @default - none */
  readonly region: pulumi.Input<string>;
  /** The Kubernetes provider of the cluster. @default - none */
  readonly provider: k8s.Provider;
  /** Prefix of the Fluent Bit IAM role name (lib/naming.ts `namePrefix`), unique per stack. @default - none */
  readonly namePrefix: string;
  /** Keep Prometheus, Alertmanager and Grafana data on EBS volumes. @default false */
  readonly persistence?: boolean;
  /** The storage class of those volumes (gp3, from the EKS component); required with persistence. @default - none */
  readonly storageClassName?: pulumi.Input<string>;
  /** Days CloudWatch Logs keeps container logs; one of the periods CloudWatch accepts. @default - none */
  readonly containerLogRetentionDays: number;
  /** Protection of the stateful log group. @default - none */
  readonly protection: Protection;
  /** What the namespaces and releases need first and must outlive them: node groups, the EBS CSI driver, the network's egress. @default [] */
  readonly requires?: pulumi.Resource[];
  /** Tags for the AWS resources. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Every problem with {@link ObservabilityArgs}, one sentence each. */
export function validateObservabilityArgs(args: ObservabilityArgs): string[] {
  const problems: string[] = [];
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.containerLogRetentionDays)) {
    problems.push(
      `containerLogRetentionDays must be one of the CloudWatch Logs retention periods (${LOG_RETENTION_DAYS.join(", ")}); got ${shown(args.containerLogRetentionDays)}`,
    );
  }
  if (args.persistence === true && args.storageClassName === undefined) {
    problems.push(
      "storageClassName is required when persistence is true (the gp3 class of the cluster)",
    );
  }
  return problems;
}

/**
 * Metrics and logs for the cluster: kube-prometheus-stack (Prometheus, Alertmanager, Grafana
 * with a generated admin password kept as a secret) in `monitoring`, and Fluent Bit shipping
 * every container's logs to one CloudWatch log group with a retention period, through a Pod
 * Identity role that may write to that group only. The node agents that read the host
 * (node-exporter, Fluent Bit's /var/log) run in `host-agents`, which enforces PSS
 * "privileged"; everything else runs in `monitoring`, which enforces "restricted".
 */
export class Observability extends pulumi.ComponentResource {
  /** The kube-prometheus-stack release: installs the ServiceMonitor CRD services depend on. */
  public readonly release: k8s.helm.v3.Release;
  /** The Fluent Bit release. */
  public readonly logsRelease: k8s.helm.v3.Release;
  /** The CloudWatch log group of container logs. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Grafana's `admin` password, generated at deploy time; a secret. */
  public readonly grafanaAdminPassword: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("Observability", validateObservabilityArgs(args));
    super("platform:k8s:Observability", name, {}, opts);
    const tags = { ...args.tags };
    const k8sOpts = { parent: this, provider: args.provider };
    // The namespaces depend on what the volumes and agents need (nodes, the EBS CSI driver,
    // the network's egress): a destroy deletes each namespace, and pulumi-kubernetes waits
    // until every object in it is gone, volume claims included, while those still run.
    const namespace = (key: ChartKey, level: "restricted" | "privileged") =>
      new k8s.core.v1.Namespace(
        `${name}-${CHARTS[key].namespace}`,
        {
          metadata: {
            name: CHARTS[key].namespace,
            labels: {
              "pod-security.kubernetes.io/enforce": level,
              "pod-security.kubernetes.io/warn": level,
              "pod-security.kubernetes.io/audit": level,
              "app.kubernetes.io/managed-by": "pulumi",
            },
          },
        },
        { ...k8sOpts, dependsOn: args.requires ?? [] },
      );
    const release = (
      key: ChartKey,
      ns: k8s.core.v1.Namespace,
      values: object,
      dependsOn: pulumi.Resource[],
    ) =>
      chartRelease(
        name,
        key,
        { namespace: ns.metadata.name, values },
        { ...k8sOpts, dependsOn: [...dependsOn, ...(args.requires ?? [])] },
      );

    const password = new random.RandomPassword(
      `${name}-grafana-admin`,
      { length: 32, special: false },
      { parent: this },
    );
    this.grafanaAdminPassword = pulumi.secret(password.result);
    // node-exporter reads the host; it lives with Fluent Bit, and Prometheus, Alertmanager,
    // Grafana and the operator get a namespace that enforces "restricted".
    const hostAgents = namespace("awsForFluentBit", "privileged");
    this.release = release(
      "kubePrometheusStack",
      namespace("kubePrometheusStack", "restricted"),
      kubePrometheusStackValues({
        grafanaAdminPassword: this.grafanaAdminPassword,
        storageClassName: args.persistence === true ? args.storageClassName : undefined,
        nodeExporterNamespace: HOST_AGENTS_NAMESPACE,
      }),
      [hostAgents],
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-containers`,
      {
        name: pulumi.interpolate`/aws/eks/${args.clusterName}/containers`,
        retentionInDays: args.containerLogRetentionDays,
        tags: withName(tags, `${name}-containers`),
      },
      statefulOptions(args.protection, { parent: this }),
    );
    this.logGroupName = logGroup.name;
    const logsNamespace = hostAgents;
    const identity = new PodIdentityRole(
      `${name}-fluent-bit`,
      {
        clusterName: args.clusterName,
        namespace: logsNamespace.metadata.name,
        serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
        inlinePolicy: logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                // The group and its streams (`<arn>:log-stream:<name>`), nothing else.
                Resource: [arn, `${arn}:*`],
              },
            ],
          }),
        ),
        roleName: `${args.namePrefix}-fluent-bit`,
        description: "Fluent Bit: ships container logs to CloudWatch Logs",
        tags,
      },
      { parent: this },
    );
    this.logsRelease = release(
      "awsForFluentBit",
      logsNamespace,
      fluentBitValues({ region: args.region, logGroupName: logGroup.name }),
      [identity.association],
    );

    this.registerOutputs({
      logGroupName: this.logGroupName,
      grafanaAdminPassword: this.grafanaAdminPassword,
    });
  }
}
