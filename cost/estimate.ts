import { CostAssumptions, CostEstimate, CostedResource, estimateWith } from "./model";
import { PRICERS, notesFor } from "./pricers";

export type { CostAssumptions, CostEstimate, CostedResource, LineItem } from "./model";

/**
 * A stack's monthly cost from its recorded resources: the EKS control plane by upgrade policy,
 * node groups at desired size (first instance type, spot discount for SPOT) with root volumes,
 * NAT gateways with their traffic from config, public IPv4 addresses, an NLB per LoadBalancer
 * Service, interface endpoints per AZ, KMS keys. Line items are grouped by top-level component;
 * an unknown instance type is an error, never a zero.
 */
export function estimateCost(
  resources: readonly CostedResource[],
  assumptions: CostAssumptions,
): CostEstimate {
  return estimateWith(resources, assumptions, PRICERS, notesFor);
}
