import fc from "fast-check";
import { Exposure } from "../../config/schema";
import { loadBalancerAnnotations, serviceSpec } from "../../lib/exposure";
import { allowSpec } from "../../lib/network-policy";
import { podIdentityTrustPolicy } from "../../lib/pod-identity";
import {
  PRESTOP_SLEEP_SECONDS,
  TERMINATION_GRACE_SECONDS,
  environment,
  pdbMinAvailable,
  resources,
} from "../../lib/workload";

describe("pdbMinAvailable", () => {
  it("leaves exactly one pod of the HPA minimum free to evict, never a negative budget", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (minReplicas) => {
        const minAvailable = pdbMinAvailable(minReplicas);
        return minAvailable >= 0 && minAvailable + 1 === minReplicas;
      }),
    );
  });

  it.each([0, -1, 1.5])("rejects a minimum of %p", (min) => {
    expect(() => pdbMinAvailable(min)).toThrow(
      `minReplicas must be a whole number of at least 1; got ${min}`,
    );
  });
});

describe("resources", () => {
  it("sets the memory limit to the request and no CPU limit", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("50m", "250m", "1"),
        fc.constantFrom("64Mi", "1Gi"),
        (cpu, mem) => {
          const r = resources(cpu, mem);
          return r.limits.memory === r.requests.memory && !("cpu" in r.limits);
        },
      ),
    );
  });
});

describe("termination", () => {
  it("gives the app time to drain after the preStop pause", () => {
    expect(TERMINATION_GRACE_SECONDS).toBeGreaterThanOrEqual(PRESTOP_SLEEP_SECONDS + 10);
  });
});

describe("environment", () => {
  it("puts PORT first and the configured variables in name order", () => {
    expect(environment(8080, { Z: "z", A: "a" })).toEqual([
      { name: "PORT", value: "8080" },
      { name: "A", value: "a" },
      { name: "Z", value: "z" },
    ]);
  });
});

describe("exposure", () => {
  it.each([
    [Exposure.Internet, "internet-facing"],
    [Exposure.Internal, "internal"],
  ] as const)("%s: an NLB with IP targets, scheme %s", (expose, scheme) => {
    expect(loadBalancerAnnotations(expose)).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme,
    });
    expect(serviceSpec("app", 8080, expose)).toMatchObject({
      type: "LoadBalancer",
      loadBalancerClass: "service.k8s.aws/nlb",
    });
  });

  it("stays a ClusterIP Service when not exposed", () => {
    expect(serviceSpec("app", 8080, Exposure.None)).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "app" },
      ports: [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }],
    });
  });
});

describe("allowSpec", () => {
  const base = { name: "app", port: 8080 };

  it("selects only the service's pods and allows both directions explicitly", () => {
    const spec = allowSpec({ ...base, loadBalanced: false, metrics: false, awsAccess: false });
    expect(spec.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/name": "app" } });
    expect(spec.policyTypes).toEqual(["Ingress", "Egress"]);
    // No in-cluster ingress of its own: declared callers come in through lib/service-calls.ts.
    expect(spec.ingress).toEqual([]);
    expect(spec.egress).toHaveLength(2);
  });

  it("adds one rule per need: metrics ingress, Pod Identity egress", () => {
    const spec = allowSpec({ ...base, loadBalanced: true, metrics: true, awsAccess: true });
    expect(spec.ingress).toHaveLength(2);
    expect(spec.egress).toHaveLength(3);
  });

  // The VPC CNI network policy controller drops rules whose port is a name it cannot resolve
  // (for peer-less rules always, for peer rules against the source pods): numbers only.
  it("admits the app's port by number, never by name, in every rule", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1024, max: 65535 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (port, loadBalanced, metrics, awsAccess) => {
          type Rule = { ports?: { port?: unknown; protocol?: string }[] };
          const spec = JSON.parse(
            JSON.stringify(allowSpec({ name: "app", port, loadBalanced, metrics, awsAccess })),
          ) as { ingress: Rule[]; egress: Rule[] };
          const ports = [...spec.ingress, ...spec.egress].flatMap((rule) => rule.ports ?? []);
          const ingressPorts = spec.ingress.flatMap((rule) => rule.ports ?? []);
          return (
            ports.every((p) => typeof p.port === "number") &&
            ingressPorts.every((p) => p.port === port && p.protocol === "TCP")
          );
        },
      ),
    );
  });
});

describe("podIdentityTrustPolicy", () => {
  it("lets only EKS Pod Identity assume the role, for one cluster, namespace and service account", () => {
    expect(
      podIdentityTrustPolicy({ clusterName: "c", namespace: "n", serviceAccount: "s" }).Statement,
    ).toEqual([
      {
        Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-name": "c",
            "aws:RequestTag/kubernetes-namespace": "n",
            "aws:RequestTag/kubernetes-service-account": "s",
          },
        },
      },
    ]);
  });
});
