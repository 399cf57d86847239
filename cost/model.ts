import { HOURS_PER_MONTH, RegionPriceTable, SPOT_DISCOUNT, pricesFor } from "./prices";
import { componentOf } from "./components";

/** A resource as the cost model reads it (a `RecordedResource` is one). */
export interface CostedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly options?: { readonly dependencies?: readonly string[] };
}

/** What the estimate cannot read from the resources. */
export interface CostAssumptions {
  readonly region: string;
  /** @default 730 */
  readonly hoursPerMonth?: number;
  /** Fraction off on-demand for SPOT node groups. @default SPOT_DISCOUNT.value (0.65) */
  readonly spotDiscount?: number;
  /** GB through the NAT gateways a month, from config `natTrafficGbPerMonth`; 0 leaves it out. @default 0 */
  readonly natTrafficGbPerMonth?: number;
  /** GB ingested a month by each log group; unset leaves ingestion out. @default - not included */
  readonly logIngestionGbPerGroup?: number;
  /** NLB capacity units per hour per load balancer; unset leaves LCUs out. @default - not included */
  readonly nlbLcuPerHour?: number;
  /** Requests a second across the shared ALBs, from config `frontDoor.requestsPerSecond`; unset leaves LCUs and WAF requests out. @default - not included */
  readonly albRequestsPerSecond?: number;
  /** GB of images stored per repository; unset leaves storage out. @default - not included */
  readonly ecrStorageGb?: number;
  /** AZs an NLB spans when no public subnet is recorded. @default 2 */
  readonly azCount?: number;
  /** A price table to use instead of the region's. @default - pricesFor(region) */
  readonly prices?: RegionPriceTable;
}

/** One priced item. */
export interface LineItem {
  readonly resource: { readonly type: string; readonly name: string; readonly urn: string };
  /** The top-level component the resource belongs to. */
  readonly component: string;
  readonly description: string;
  readonly unitPrice: number;
  readonly quantity: number;
  readonly unit: string;
  readonly monthly: number;
}

/** A monthly estimate. */
export interface CostEstimate {
  readonly currency: "USD";
  readonly lineItems: readonly LineItem[];
  readonly subtotals: readonly { readonly component: string; readonly monthly: number }[];
  readonly total: number;
  readonly assumptions: {
    readonly region: string;
    readonly priceTableChecked: string;
    readonly sources: RegionPriceTable["sources"];
    readonly hoursPerMonth: number;
    readonly spotDiscount: number;
    readonly spotDiscountSource: string;
    /** What the estimate leaves out or assumes, one sentence each. */
    readonly notes: readonly string[];
  };
}

/** The pricing context each resource kind sees. */
export interface PricingContext {
  readonly prices: RegionPriceTable;
  readonly hours: number;
  readonly spotDiscount: number;
  readonly assumptions: CostAssumptions;
  readonly resources: readonly CostedResource[];
}

/** One line, before the component is attached. */
export type Line = Omit<LineItem, "resource" | "component" | "monthly">;

/** Prices one resource kind: zero or more lines for a resource. */
export type Pricer = (r: CostedResource, ctx: PricingContext) => Line[];

/**
 * The estimate engine: each resource whose type has a pricer becomes line items (unit price ×
 * quantity), grouped by top-level component; `notes` says what is left out.
 */
export function estimateWith(
  resources: readonly CostedResource[],
  assumptions: CostAssumptions,
  pricers: Readonly<Record<string, Pricer>>,
  notes: (ctx: PricingContext) => string[],
): CostEstimate {
  const prices = assumptions.prices ?? pricesFor(assumptions.region);
  const ctx: PricingContext = {
    prices,
    hours: assumptions.hoursPerMonth ?? HOURS_PER_MONTH,
    spotDiscount: assumptions.spotDiscount ?? SPOT_DISCOUNT.value,
    assumptions,
    resources,
  };
  const lineItems: LineItem[] = resources.flatMap((r) =>
    (pricers[r.type]?.(r, ctx) ?? []).map((line) => ({
      resource: { type: r.type, name: r.name, urn: r.urn },
      component: componentOf(r, resources),
      ...line,
      monthly: line.unitPrice * line.quantity,
    })),
  );
  // Grouped by component, then by resource, so related lines sit together in every report.
  lineItems.sort(
    (a, b) =>
      a.component.localeCompare(b.component) || a.resource.name.localeCompare(b.resource.name),
  );
  const byComponent = new Map<string, number>();
  for (const item of lineItems) {
    byComponent.set(item.component, (byComponent.get(item.component) ?? 0) + item.monthly);
  }
  return {
    currency: "USD",
    lineItems,
    subtotals: [...byComponent].map(([component, monthly]) => ({ component, monthly })),
    total: lineItems.reduce((sum, i) => sum + i.monthly, 0),
    assumptions: {
      region: prices.region,
      priceTableChecked: prices.checked,
      sources: prices.sources,
      hoursPerMonth: ctx.hours,
      spotDiscount: ctx.spotDiscount,
      spotDiscountSource: SPOT_DISCOUNT.source,
      notes: notes(ctx),
    },
  };
}
