import type { types } from "@pulumi/kubernetes";
import { namespaceNamed } from "./network-policy";
import { selectorLabels } from "./workload";

/**
 * Calls between the services of a stack, as plain objects: who calls whom, the environment
 * variable that tells a caller where its callee is, and the network policy that opens exactly
 * those flows. Kept apart from lib/network-policy.ts: this policy is a separate object that
 * adds to the service's own (policies are additive), so neither needs the other to change.
 */

/** One service at the other end of a call: its name (and namespace) and its port. */
export interface Peer {
  readonly name: string;
  readonly port: number;
}

/** The in-cluster URL of a service: `http://<name>.<name>.svc.cluster.local:<port>`. */
export const internalUrlOf = (peer: Peer): string =>
  `http://${peer.name}.${peer.name}.svc.cluster.local:${peer.port}`;

/** The variable a caller reads its callee's URL from: `BACKEND_URL` for `backend`. */
export const callUrlVariable = (callee: string): string =>
  `${callee.toUpperCase().replace(/-/g, "_")}_URL`;

/** The callers of each service, from every service's `calls`; each list sorted. */
export function callersOf(
  calls: Readonly<Record<string, readonly string[]>>,
): Record<string, string[]> {
  const callers: Record<string, string[]> = Object.fromEntries(
    Object.keys(calls).map((name) => [name, []]),
  );
  for (const [caller, callees] of Object.entries(calls)) {
    for (const callee of callees) callers[callee]?.push(caller);
  }
  for (const list of Object.values(callers)) list.sort();
  return callers;
}

/** The caller's environment entries: one URL per callee, by name. */
export function callEnvironment(callees: readonly Peer[]) {
  return [...callees]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((callee) => ({ name: callUrlVariable(callee.name), value: internalUrlOf(callee) }));
}

const podsOf = (name: string) => ({
  ...namespaceNamed(name),
  podSelector: { matchLabels: selectorLabels(name) },
});

/**
 * The policy of a service's declared calls, or undefined when it has none either way:
 * - egress from its pods to each callee's pods (namespace and pod selector together, so one
 *   peer), on the callee's port by number. Callers dial the Service's ClusterIP; the VPC CNI's
 *   network policy controller allows it only when the Service's selector equals the rule's
 *   `podSelector.matchLabels` and the Service port equals the container port
 *   (aws/amazon-network-policy-controller-k8s #194, #224, `pkg/resolvers/endpoints.go`), which
 *   both hold here: one selector label, and port = target port. The label is the callee's
 *   name, never one the caller carries too (a self-matching selector drops ClusterIP traffic,
 *   same repository #236);
 * - ingress to its port from each declared caller's pods, and from nothing else in the cluster
 *   (the load balancer and monitoring rules stay in the service's own policy).
 */
export function callsPolicySpec(input: {
  readonly name: string;
  readonly port: number;
  readonly callers: readonly string[];
  readonly callees: readonly Peer[];
}) {
  if (input.callers.length === 0 && input.callees.length === 0) return undefined;
  const ingress: types.input.networking.v1.NetworkPolicyIngressRule[] =
    input.callers.length === 0
      ? []
      : [
          {
            from: [...input.callers].sort().map(podsOf),
            ports: [{ port: input.port, protocol: "TCP" }],
          },
        ];
  const egress: types.input.networking.v1.NetworkPolicyEgressRule[] = [...input.callees]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((callee) => ({
      to: [podsOf(callee.name)],
      ports: [{ port: callee.port, protocol: "TCP" }],
    }));
  const policyTypes = [
    ...(ingress.length > 0 ? ["Ingress"] : []),
    ...(egress.length > 0 ? ["Egress"] : []),
  ];
  return {
    podSelector: { matchLabels: selectorLabels(input.name) },
    policyTypes,
    ...(ingress.length > 0 ? { ingress } : {}),
    ...(egress.length > 0 ? { egress } : {}),
  } satisfies types.input.networking.v1.NetworkPolicySpec;
}
