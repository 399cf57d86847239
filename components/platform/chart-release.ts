import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS, ChartKey } from "../../lib/charts";

/**
 * A Helm release of a chart pinned in lib/charts.ts, named `<prefix>-<chart>`: the version and
 * repository from the table, failed installs cleaned up, five revisions kept.
 */
export function chartRelease(
  prefix: string,
  key: ChartKey,
  spec: {
    /** The release namespace. @default - the chart's namespace in lib/charts.ts */
    readonly namespace?: pulumi.Input<string>;
    readonly values: object;
  },
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  const pin = CHARTS[key];
  return new k8s.helm.v3.Release(
    `${prefix}-${pin.chart}`,
    {
      name: pin.chart,
      chart: pin.chart,
      version: pin.version,
      repositoryOpts: { repo: pin.repo },
      namespace: spec.namespace ?? pin.namespace,
      values: spec.values,
      cleanupOnFail: true,
      maxHistory: 5,
    },
    opts,
  );
}
