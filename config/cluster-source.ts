import { ConfigProblem, showValue } from "./errors";
import type { ProjectSettings } from "./schema";
import { Exposure } from "./sets";

/**
 * Where the stack's Kubernetes cluster comes from. `eks`: the stack builds the network, the
 * registry and an EKS cluster on AWS, then deploys into it. `kubeconfig`: the stack deploys the
 * services layer alone into a cluster it does not own (a local cluster for development, a
 * cluster run by someone else), found through a kubeconfig; it creates no AWS resource at all.
 */
export const ClusterSource = { Eks: "eks", Kubeconfig: "kubeconfig" } as const;
/** `eks` (the default) or `kubeconfig`; see {@link ClusterSource}. */
export type ClusterSource = (typeof ClusterSource)[keyof typeof ClusterSource];

/** True when the stack deploys into a cluster from a kubeconfig, with no AWS layer. */
export function onExistingCluster(s: Partial<Pick<ProjectSettings, "clusterSource">>): boolean {
  return s.clusterSource === ClusterSource.Kubeconfig;
}

const WHY = "when clusterSource is kubeconfig";

/**
 * What `clusterSource: kubeconfig` refuses: every feature that needs AWS or the platform's own
 * add-ons on EKS. Refused rather than silently turned off, so a stack file never promises what
 * the deployment does not do (a service that expects AWS credentials would fail at run time
 * instead of at `pulumi preview`).
 * - `services.<name>.awsPolicyArns`: Pod Identity roles need an EKS cluster and IAM.
 * - `services.<name>.secrets`: they come from Secrets Manager through a Pod Identity role.
 * - `services.<name>.expose` other than `none`: an NLB needs the AWS Load Balancer Controller.
 * - `observability`: Fluent Bit ships to CloudWatch Logs through a Pod Identity role.
 * - `appImage` empty with a service that has no `image`: the build pushes to ECR.
 * Keys of the AWS layers (network, registry, cluster, node groups) are ignored in this mode.
 * With `eks`, the kubeconfig keys must stay empty: the stack deploys into its own cluster.
 */
export function clusterSourceProblems(
  s: Partial<ProjectSettings>,
  key: (path: string) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, rule: string, value: unknown) =>
    problems.push({ key: key(path), rule, value: showValue(value) });
  if (s.clusterSource === ClusterSource.Eks) {
    for (const k of ["kubeconfigPath", "kubeconfigContext"] as const) {
      if (s[k] !== undefined && s[k] !== "") {
        add(
          k,
          "must be empty when clusterSource is eks: the stack deploys into its own EKS cluster",
          s[k],
        );
      }
    }
  }
  if (!onExistingCluster(s)) return problems;

  if (s.observability === true) {
    add(
      "observability",
      `must be false ${WHY}: Fluent Bit ships logs to CloudWatch Logs through an EKS Pod Identity role`,
      s.observability,
    );
  }
  for (const [name, svc] of Object.entries(s.services ?? {})) {
    if (svc.awsPolicyArns.length > 0) {
      add(
        `services.${name}.awsPolicyArns`,
        `must be empty ${WHY}: AWS permissions come from an EKS Pod Identity role`,
        svc.awsPolicyArns,
      );
    }
    if (Object.keys(svc.secrets ?? {}).length > 0) {
      add(
        `services.${name}.secrets`,
        `must be empty ${WHY}: secrets come from AWS Secrets Manager through the CSI driver and a Pod Identity role on EKS`,
        Object.keys(svc.secrets),
      );
    }
    if (svc.expose !== Exposure.None) {
      add(
        `services.${name}.expose`,
        `must be none ${WHY}: a load balancer needs the AWS Load Balancer Controller on EKS (reach it with kubectl port-forward)`,
        svc.expose,
      );
    }
  }
  if (s.appImage === "" && s.services !== undefined) {
    const missing = Object.entries(s.services).filter(([, svc]) => svc.image === undefined);
    if (missing.length > 0) {
      add(
        "appImage",
        `must be set ${WHY} unless every service sets its own image: building app/ pushes to ECR (services without one: ${missing.map(([n]) => n).join(", ")})`,
        s.appImage,
      );
    }
  }
  return problems;
}
