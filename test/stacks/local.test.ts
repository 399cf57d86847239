import type { StackRun } from "../../tools/runner";
import { ofType, runStack } from "../harness";

// Pulumi.local.yaml (clusterSource: kubeconfig) run under mocks: the services layer alone, on a
// cluster from a kubeconfig, with nothing on AWS. `npm run e2e` deploys the same stack for real.

let run: StackRun;
let calls: string[];
beforeAll(async () => {
  const { RecordingMocks } = await import("../../tools/mocks");
  const call = jest.spyOn(RecordingMocks.prototype, "call");
  run = await runStack("local");
  calls = call.mock.calls.map(([args]) => args.token);
  call.mockRestore();
});

const NOT_KUBERNETES =
  /^(aws|awsx|eks|random|docker-build|command):|^pulumi:providers:(?!kubernetes$)/;

describe("the local stack (Pulumi.local.yaml): services on an existing cluster, no AWS", () => {
  it("registers no AWS resource or provider and calls no AWS API", () => {
    expect(run.resources.length).toBeGreaterThan(10);
    expect(run.resources.filter((r) => NOT_KUBERNETES.test(r.type)).map((r) => r.type)).toEqual([]);
    expect(calls).toEqual([]);
    expect(ofType(run.resources, "platform:network:Vpc")).toEqual([]);
    expect(ofType(run.resources, "platform:eks:Cluster")).toEqual([]);
  });

  it("deploys at least two services, each through the kubeconfig cluster's own provider", () => {
    const services = ofType(run.resources, "platform:k8s:Service").map((r) => r.name);
    expect(services.length).toBeGreaterThanOrEqual(2);
    const [provider] = ofType(run.resources, "pulumi:providers:kubernetes");
    expect(ofType(run.resources, "pulumi:providers:kubernetes")).toHaveLength(1);
    // Unset kubeconfig: the provider reads $KUBECONFIG, as kubectl does; never inline contents.
    expect(provider!.inputs.kubeconfig).toBeUndefined();
    for (const r of run.resources.filter((r) => r.type.startsWith("kubernetes:"))) {
      expect(r.provider.startsWith(`${provider!.urn}::`)).toBe(true);
    }
    expect(Object.keys(run.outputs.internalUrls as object).sort()).toEqual([...services].sort());
  });

  it("enforces Pod Security restricted at the cluster's own latest version in every service namespace", () => {
    const namespaces = ofType(run.resources, "kubernetes:core/v1:Namespace");
    expect(namespaces.length).toBeGreaterThanOrEqual(2);
    for (const ns of namespaces) {
      const labels = (ns.inputs.metadata as { labels: Record<string, string> }).labels;
      expect(labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      expect(labels["pod-security.kubernetes.io/enforce-version"]).toBe("latest");
    }
  });

  it("exposes nothing through a load balancer", () => {
    for (const svc of ofType(run.resources, "kubernetes:core/v1:Service")) {
      expect((svc.inputs.spec as { type: string }).type).toBe("ClusterIP");
    }
  });
});
