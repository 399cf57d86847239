import type { StackRun } from "../../tools/runner";
import { REFRESH_READS } from "../../components/platform/preview-access";
import { ofType } from "../harness";
import { awsCallersInCluster, egressPath, missingEdges, only } from "./expect";

/**
 * The deploy-readiness requirements every stack shares: the egress path outlives everything
 * that calls AWS from inside the cluster (on the recorded dependency closure), and the CI
 * preview role can read what a refresh reads, Helm's release records included, and no more.
 */
export function describeDeployReadiness(
  getRun: () => StackRun,
  expected: { readonly egressAtLeast: number; readonly callersAtLeast: number },
): void {
  it("keeps the egress path until every node group, addon, release and load balancer is gone (destroy order)", () => {
    const run = getRun();
    const egress = egressPath(run);
    expect(egress.length).toBeGreaterThanOrEqual(expected.egressAtLeast);
    const callers = awsCallersInCluster(run);
    expect(callers.length).toBeGreaterThanOrEqual(expected.callersAtLeast);
    expect(missingEdges(run, callers, egress)).toEqual([]);
  });

  it("gives the CI preview role the reads a refresh needs: Helm records per release namespace, no Secrets elsewhere", () => {
    const run = getRun();
    const roles = ofType(run.resources, "kubernetes:rbac.authorization.k8s.io/v1:Role");
    const releaseNamespaces = ofType(run.resources, "kubernetes:helm.sh/v3:Release").map(
      (r) => r.inputs.namespace,
    );
    expect(roles.map((r) => (r.inputs.metadata as { namespace: string }).namespace).sort()).toEqual(
      [...new Set(releaseNamespaces)].sort(),
    );
    for (const role of roles) {
      expect(role.inputs.rules).toEqual([
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] },
      ]);
    }
    const clusterRole = only(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    const resources = (clusterRole.inputs.rules as { resources: string[] }[]).flatMap(
      (r) => r.resources,
    );
    expect(resources).not.toContain("secrets");
  });

  it("lets the preview role read every Kubernetes kind the stack manages (view policy or its extra reads)", () => {
    const readable = new Set([
      ...VIEW_POLICY_READS,
      ...REFRESH_READS.flatMap((rule) =>
        (rule.resources as string[]).flatMap((r) =>
          (rule.apiGroups as string[]).map((g) => `${g}/${r}`),
        ),
      ),
    ]);
    const managed = new Set(
      getRun()
        .resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"))
        .filter((r) => !r.type.startsWith("kubernetes:helm.sh/") && !r.type.includes("providers"))
        .map((r) => resourceOf(r.type)),
    );
    expect([...managed].filter((m) => !readable.has(m))).toEqual([]);
  });
}

/**
 * What AmazonEKSViewPolicy lets a principal read, as the Kubernetes `view` role does (EKS user
 * guide, "Review access policy permissions"): the kinds this stack manages that it covers.
 */
const VIEW_POLICY_READS = [
  "/namespaces",
  "/serviceaccounts",
  "/services",
  "/configmaps",
  "/persistentvolumeclaims",
  "apps/deployments",
  "apps/statefulsets",
  "apps/daemonsets",
  "autoscaling/horizontalpodautoscalers",
  "policy/poddisruptionbudgets",
  "networking.k8s.io/networkpolicies",
  "networking.k8s.io/ingresses",
];

/** `group/plural` of a Kubernetes type token such as `kubernetes:apps/v1:Deployment`. */
function resourceOf(type: string): string {
  const [, groupVersion = "", kind = ""] = type.split(":");
  const group = groupVersion.split("/")[0] === "core" ? "" : groupVersion.split("/")[0];
  const lower = kind.toLowerCase();
  const plural = lower.endsWith("params")
    ? lower
    : lower.endsWith("y")
      ? `${lower.slice(0, -1)}ies`
      : lower.endsWith("s")
        ? `${lower}es`
        : `${lower}s`;
  return `${group}/${plural}`;
}
