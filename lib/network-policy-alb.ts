import type { types } from "@pulumi/kubernetes";
import { selectorLabels } from "./workload";

/** What the ALB's network rule depends on. */
export interface AlbTrafficInput {
  readonly name: string;
  /** The container port, by number (see lib/network-policy.ts on named ports). */
  readonly port: number;
  /**
   * The CIDR blocks of the subnets the ALB's nodes sit in: public subnets for an
   * internet-facing ALB, private ones for an internal ALB.
   */
  readonly sourceCidrs: readonly string[];
}

/**
 * Admits the shared ALB to a service's pods and nothing else: ingress on the app port from the
 * ALB's subnets only. With IP targets the ALB connects to pod IPs from its own addresses in
 * those subnets (it terminates the client connection, so client IPs never reach the pod); its
 * health checks come the same way. The policy is additive to the service's own allow policy,
 * and declares Ingress only, so the namespace's default-deny still governs egress.
 */
export function albAllowSpec(input: AlbTrafficInput) {
  return {
    podSelector: { matchLabels: selectorLabels(input.name) },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: input.sourceCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ port: input.port, protocol: "TCP" }],
      },
    ],
  } satisfies types.input.networking.v1.NetworkPolicySpec;
}
