import type { PlanReport } from "./build";
import { bySeverity, columns, lineItemHeader, lineItemRows, money, treeLines } from "./format";
import type { InventoryDiff } from "./inventory";

/** One line with what a reviewer needs: resources, policy verdict and monthly cost. */
export function summaryLine(report: PlanReport): string {
  const { mandatory, advisory } = report.summary;
  const verdict = mandatory > 0 ? `FAIL: ${mandatory} mandatory policy violation(s)` : "policy OK";
  return `Summary: ${report.stack}: ${report.inventory.total} resources; ${verdict}, ${advisory} advisory finding(s); about ${money(report.cost.total)} a month`;
}

/** The comparison with another stack, as lines. */
export function compareLines(diff: InventoryDiff): string[] {
  const [a, b] = diff.stacks;
  const list = (items: readonly string[]) =>
    items.length === 0 ? ["    (none)"] : items.map((i) => `    ${i}`);
  return [
    `  Types only in ${a}:`,
    ...list(diff.typesOnlyIn[0]),
    `  Types only in ${b}:`,
    ...list(diff.typesOnlyIn[1]),
    `  Count differences (${a} / ${b}):`,
    ...list(diff.countDifferences.map((d) => `${d.type}: ${d.counts[0]} / ${d.counts[1]}`)),
    `  Resources only in ${a}: ${diff.resourcesOnlyIn[0].length}; only in ${b}: ${diff.resourcesOnlyIn[1].length}`,
    ...list(diff.resourcesOnlyIn[0].map((k) => `${a}: ${k}`)),
    ...list(diff.resourcesOnlyIn[1].map((k) => `${b}: ${k}`)),
  ];
}

/** The cost section's lines: items, subtotals, total, assumptions. */
export function costLines(report: PlanReport): string[] {
  const c = report.cost;
  const items = columns([lineItemHeader(true), ...lineItemRows(c, true)], [3, 4, 6]);
  const subtotals = columns(
    c.subtotals.map((s) => [s.component, money(s.monthly)]),
    [1],
  );
  return [
    ...items.map((l) => `  ${l}`),
    "",
    "  Subtotals per component:",
    ...subtotals.map((l) => `    ${l}`),
    `  Total: ${money(c.total)} a month`,
    "",
    "  Assumptions:",
    ...c.assumptions.notes.map((n) => `    - ${n}`),
    `    - Spot discount source: ${c.assumptions.spotDiscountSource}`,
  ];
}

/** The plan as plain text for a terminal. */
export function renderTable(report: PlanReport): string {
  const out: string[] = [
    `Plan for stack ${report.stack} (project ${report.project}, ${report.region}, production: ${report.production ? "yes" : "no"})`,
    "",
    `1. Inventory: ${report.inventory.total} resources`,
    ...treeLines(report.inventory.tree).map((l) => `  ${l}`),
    "",
    "  Counts per type:",
    ...columns(
      Object.entries(report.inventory.counts).map(([t, n]) => [t, String(n)]),
      [1],
    ).map((l) => `    ${l}`),
  ];
  if (report.compare)
    out.push("", `  Compared with ${report.compare.stacks[1]}:`, ...compareLines(report.compare));
  out.push(
    "",
    `2. Policy findings: ${report.summary.mandatory} mandatory, ${report.summary.advisory} advisory`,
  );
  if (report.findings.length === 0) out.push("  none: every rule passes");
  for (const [severity, findings] of bySeverity(report.findings)) {
    out.push(`  ${severity.toUpperCase()}`);
    for (const f of findings) {
      out.push(
        `    [${f.enforcement}] ${f.ruleId}: ${f.resource.name} (${f.resource.type})`,
        `        ${f.reason}`,
      );
    }
  }
  out.push("", `3. Monthly cost estimate: ${money(report.cost.total)} (USD)`, ...costLines(report));
  // The verdict last, where a terminal or a CI log leaves the reader.
  out.push("", summaryLine(report));
  return `${out.join("\n")}\n`;
}
