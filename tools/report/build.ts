import { CostEstimate, estimateCost } from "../../cost/estimate";
import { Finding, PolicySubject, evaluate, isBlocking } from "../../policy/rules";
import { Inventory, InventoryDiff, inventory } from "./inventory";

/** The stack settings a report needs, from the validated config. */
export interface ReportSettings {
  readonly stack: string;
  readonly project: string;
  readonly region: string;
  readonly production: boolean;
  readonly azCount: number;
  readonly natTrafficGbPerMonth: number;
  /** From config `frontDoor.requestsPerSecond`. @default - not included */
  readonly albRequestsPerSecond?: number;
}

/** Everything `npm run plan` prints, in every format. */
export interface PlanReport {
  readonly stack: string;
  readonly project: string;
  readonly region: string;
  readonly production: boolean;
  readonly inventory: Inventory;
  readonly findings: readonly Finding[];
  readonly summary: { readonly mandatory: number; readonly advisory: number };
  readonly cost: CostEstimate;
  /** With `--compare`: how this stack differs from the other. */
  readonly compare?: InventoryDiff;
  /** The recorded resources, for the architecture diagram (not serialised). */
  readonly resources: readonly PolicySubject[];
}

/** Builds the report of one recorded stack (`RecordedResource`s): inventory, findings, cost. */
export function buildReport(
  resources: readonly PolicySubject[],
  settings: ReportSettings,
): PlanReport {
  const findings = evaluate(resources, { production: settings.production });
  const mandatory = findings.filter(isBlocking).length;
  return {
    stack: settings.stack,
    project: settings.project,
    region: settings.region,
    production: settings.production,
    inventory: inventory(resources),
    findings,
    summary: { mandatory, advisory: findings.length - mandatory },
    cost: estimateCost(resources, {
      region: settings.region,
      natTrafficGbPerMonth: settings.natTrafficGbPerMonth,
      albRequestsPerSecond: settings.albRequestsPerSecond,
      azCount: settings.azCount,
    }),
    resources,
  };
}

/** The report as JSON: everything but the raw resources. */
export function toJson(report: PlanReport): string {
  const { resources: _resources, ...rest } = report;
  return JSON.stringify(rest, null, 2);
}
