import type { types } from "@pulumi/kubernetes";
import { MONITORING_NAMESPACE } from "./charts";
import { POD_IDENTITY_AGENT } from "./pod-identity";
import { selectorLabels } from "./workload";

/** What a service's network rules depend on. */
export interface TrafficInput {
  readonly name: string;
  /** The container port the app listens on (the Service's port and target port). */
  readonly port: number;
  /** Behind an NLB (internal or internet-facing). */
  readonly loadBalanced: boolean;
  /** Serves `/metrics` for Prometheus. */
  readonly metrics: boolean;
  /** Has AWS permissions through Pod Identity. */
  readonly awsAccess: boolean;
}

/** A NetworkPolicy peer: every pod of the namespace of this name. */
export const namespaceNamed = (name: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});

/** Denies all ingress and egress to every pod of the namespace unless another policy allows it. */
export function defaultDenySpec() {
  return {
    podSelector: {},
    policyTypes: ["Ingress", "Egress"],
  } satisfies types.input.networking.v1.NetworkPolicySpec;
}

/**
 * What the service's pods may receive and send; everything else stays denied.
 * Ports are numbers, never the container port's name: the VPC CNI's network policy controller
 * resolves a named port against the *source* pods (or, for a rule without peers, not at all) and
 * then drops the rule, so `port: "http"` would silently deny the NLB, the callers and Prometheus
 * (aws/amazon-network-policy-controller-k8s issues #52, #81; `getAllowAllNetworkPeers` skips
 * named ports).
 * - Ingress on the app port from anywhere when an NLB fronts it: with IP targets the NLB (and
 *   its health checks) connect straight to pod IPs, from its own addresses in the VPC or, with
 *   client IP preservation, from the clients; the NLB's security group is what limits sources.
 *   In-cluster callers are not admitted here: only the services that declare a call, through
 *   the separate policy of lib/service-calls.ts. The kubelet's probes come from the node,
 *   which the VPC CNI policy agent always allows.
 * - Ingress from the monitoring namespace when the service exposes metrics, so Prometheus can
 *   scrape it even if the in-cluster rule above is narrowed later.
 * - Egress to cluster DNS (kube-dns in kube-system) on UDP and TCP 53.
 * - Egress on TCP 443 to anywhere: AWS APIs have no fixed addresses (and the Kubernetes API
 *   endpoint, for the services allowed to call it).
 * - Egress to the Pod Identity Agent (link-local, TCP 80) when the service has an AWS role:
 *   without it the SDK cannot fetch credentials.
 */
export function allowSpec(input: TrafficInput) {
  const appPort = [{ port: input.port, protocol: "TCP" }];
  const ingress: types.input.networking.v1.NetworkPolicyIngressRule[] = input.loadBalanced
    ? [{ ports: appPort }]
    : [];
  if (input.metrics) ingress.push({ from: [namespaceNamed(MONITORING_NAMESPACE)], ports: appPort });

  const egress: types.input.networking.v1.NetworkPolicyEgressRule[] = [
    {
      to: [
        {
          ...namespaceNamed("kube-system"),
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ],
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    },
    { ports: [{ port: 443, protocol: "TCP" }] },
  ];
  if (input.awsAccess) {
    egress.push({
      to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }],
      ports: [{ port: POD_IDENTITY_AGENT.port, protocol: "TCP" }],
    });
  }
  return {
    podSelector: { matchLabels: selectorLabels(input.name) },
    policyTypes: ["Ingress", "Egress"],
    ingress,
    egress,
  } satisfies types.input.networking.v1.NetworkPolicySpec;
}
