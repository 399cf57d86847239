import {
  callEnvironment,
  callUrlVariable,
  callersOf,
  callsPolicySpec,
  internalUrlOf,
} from "../../lib/service-calls";

const pods = (name: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
  podSelector: { matchLabels: { "app.kubernetes.io/name": name } },
});

describe("calls between services", () => {
  it("finds each service's callers from the others' calls, cycles included", () => {
    expect(
      callersOf({ web: ["api", "auth"], api: ["auth", "web"], auth: [], batch: ["api"] }),
    ).toEqual({ web: ["api"], api: ["batch", "web"], auth: ["api", "web"], batch: [] });
  });

  it.each([
    ["backend", "BACKEND_URL"],
    ["payments-api", "PAYMENTS_API_URL"],
    ["a1", "A1_URL"],
  ])("names the URL variable of %s %s", (callee, variable) => {
    expect(callUrlVariable(callee)).toBe(variable);
  });

  it("gives the caller each callee's in-cluster URL, sorted by name", () => {
    expect(
      callEnvironment([
        { name: "payments", port: 9000 },
        { name: "auth", port: 8080 },
      ]),
    ).toEqual([
      { name: "AUTH_URL", value: "http://auth.auth.svc.cluster.local:8080" },
      { name: "PAYMENTS_URL", value: "http://payments.payments.svc.cluster.local:9000" },
    ]);
    expect(internalUrlOf({ name: "auth", port: 8080 })).toBe(
      "http://auth.auth.svc.cluster.local:8080",
    );
  });
});

describe("the calls network policy", () => {
  it("is not created for a service that neither calls nor is called", () => {
    expect(callsPolicySpec({ name: "lonely", port: 8080, callers: [], callees: [] })).toBe(
      undefined,
    );
  });

  it("caller side: egress to each callee's pods on the callee's port, nothing else", () => {
    const spec = callsPolicySpec({
      name: "web",
      port: 8080,
      callers: [],
      callees: [
        { name: "payments", port: 9000 },
        { name: "auth", port: 8081 },
      ],
    });
    expect(spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "web" } },
      policyTypes: ["Egress"],
      egress: [
        { to: [pods("auth")], ports: [{ port: 8081, protocol: "TCP" }] },
        { to: [pods("payments")], ports: [{ port: 9000, protocol: "TCP" }] },
      ],
    });
  });

  it("callee side: ingress on its own port from the declared callers' pods only", () => {
    const spec = callsPolicySpec({
      name: "auth",
      port: 8081,
      callers: ["web", "api"],
      callees: [],
    });
    expect(spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "auth" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [pods("api"), pods("web")], ports: [{ port: 8081, protocol: "TCP" }] }],
    });
  });

  it("a service both called and calling gets both directions in one policy", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const spec: any = callsPolicySpec({
      name: "api",
      port: 8080,
      callers: ["web"],
      callees: [{ name: "web", port: 8080 }],
    });
    expect(spec?.policyTypes).toEqual(["Ingress", "Egress"]);
    // Namespace and pods in one peer (AND), never two peers (OR): a pod of another service
    // in the caller's namespace, or any pod labelled like the caller elsewhere, stays out.
    for (const peer of [...spec.ingress[0].from, ...spec.egress[0].to]) {
      expect(Object.keys(peer).sort()).toEqual(["namespaceSelector", "podSelector"]);
    }
  });
});
