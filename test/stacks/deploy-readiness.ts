import type { StackRun } from "../../tools/runner";
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
}
