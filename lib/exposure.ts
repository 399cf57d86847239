import type { types } from "@pulumi/kubernetes";
import { Exposure } from "../config/schema";
import { PORT_NAME, PRESTOP_SLEEP_SECONDS, selectorLabels } from "./workload";

/** The load balancer class the AWS Load Balancer Controller reconciles as an NLB. */
export const NLB_LOAD_BALANCER_CLASS = "service.k8s.aws/nlb";

/** The NLB scheme of each exposure that has a load balancer. */
export const NLB_SCHEME = {
  [Exposure.Internal]: "internal",
  [Exposure.Internet]: "internet-facing",
} as const;

/**
 * The annotations the AWS Load Balancer Controller reads on a LoadBalancer Service (names as in
 * its "Service annotations" guide). IP targets send traffic straight to pod IPs, skipping the
 * NodePort hop, and let the controller drain pods through readiness gates. The deregistration
 * delay matches the pod's preStop pause instead of the 300 s default, so a draining target is
 * released once the pod has stopped taking connections.
 */
export function loadBalancerAnnotations(expose: LoadBalancedExposure): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": NLB_SCHEME[expose],
    "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": `deregistration_delay.timeout_seconds=${PRESTOP_SLEEP_SECONDS}`,
  };
}

/** An exposure that puts an NLB in front of the service. */
export type LoadBalancedExposure = keyof typeof NLB_SCHEME;

/** Whether an exposure puts an NLB in front of the service. */
export function hasLoadBalancer(expose: Exposure): expose is LoadBalancedExposure {
  return expose !== Exposure.None;
}

/** The Kubernetes Service spec: ClusterIP unless exposed, then an NLB with IP targets. */
export function serviceSpec(name: string, port: number, expose: Exposure) {
  const ports = [{ name: PORT_NAME, port, targetPort: PORT_NAME, protocol: "TCP" }];
  const selector = selectorLabels(name);
  if (!hasLoadBalancer(expose)) {
    return { type: "ClusterIP", selector, ports } satisfies types.input.core.v1.ServiceSpec;
  }
  return {
    type: "LoadBalancer",
    loadBalancerClass: NLB_LOAD_BALANCER_CLASS,
    // IP targets reach pods directly, so node ports would only widen the attack surface.
    allocateLoadBalancerNodePorts: false,
    selector,
    ports,
  } satisfies types.input.core.v1.ServiceSpec;
}
