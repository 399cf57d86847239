import type { CostEstimate } from "../../cost/estimate";
import type { Finding, Severity } from "../../policy/rules";
import type { TreeNode } from "./inventory";

/** Dollars with cents and thousands separators: `$1,234.56`. */
export function money(n: number): string {
  const [whole, cents] = Math.abs(n).toFixed(2).split(".");
  return `${n < 0 ? "-" : ""}$${(whole ?? "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

/** A unit price with up to four significant digits: `$0.0416`, `$0.01456`. */
export function unitPrice(n: number): string {
  return `$${Number(n.toPrecision(4))}`;
}

/** A quantity: whole numbers with separators, fractions to two places. */
export function quantity(n: number): string {
  return Number.isInteger(n) ? n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",") : n.toFixed(2);
}

/** The header of the cost line-item table, with or without the component column. */
export function lineItemHeader(withComponent: boolean): string[] {
  const head = ["Resource", "Description", "Unit price", "Quantity", "Unit", "Monthly"];
  return withComponent ? ["Component", ...head] : head;
}

/** The cost line items as table cells, matching {@link lineItemHeader}. */
export function lineItemRows(cost: CostEstimate, withComponent: boolean): string[][] {
  return cost.lineItems.map((i) => [
    ...(withComponent ? [i.component] : []),
    i.resource.name,
    i.description,
    unitPrice(i.unitPrice),
    quantity(i.quantity),
    i.unit,
    money(i.monthly),
  ]);
}

/** Severities, most severe first. */
export const SEVERITIES: readonly Severity[] = ["high", "medium", "low"];

/** Findings grouped by severity, most severe first; empty groups left out. */
export function bySeverity(findings: readonly Finding[]): [Severity, Finding[]][] {
  return SEVERITIES.map(
    (s) => [s, findings.filter((f) => f.severity === s)] as [Severity, Finding[]],
  ).filter(([, list]) => list.length > 0);
}

/**
 * The resource tree as indented lines: components nest, and a component's plain resources of
 * one type fold into one line (`aws:ec2/subnet:Subnet × 4: a, b, c, d`) so the tree stays short.
 */
export function treeLines(nodes: readonly TreeNode[], indent = ""): string[] {
  const lines: string[] = [];
  const groups = new Map<string, TreeNode[]>();
  for (const n of nodes) {
    if (n.children.length > 0) continue;
    groups.set(n.type, [...(groups.get(n.type) ?? []), n]);
  }
  const entries: { text: string; children: readonly TreeNode[] }[] = [];
  for (const n of nodes) {
    if (n.children.length > 0)
      entries.push({ text: `${n.name} (${n.type})`, children: n.children });
  }
  for (const [type, list] of groups) {
    const names = list.map((n) => n.name);
    const shown = names.length > 4 ? [...names.slice(0, 4), "…"] : names;
    entries.push({
      text:
        list.length === 1
          ? `${names[0]} (${type})`
          : `${type} × ${list.length}: ${shown.join(", ")}`,
      children: [],
    });
  }
  entries.forEach((e, i) => {
    const last = i === entries.length - 1;
    lines.push(`${indent}${last ? "└─ " : "├─ "}${e.text}`);
    lines.push(...treeLines(e.children, `${indent}${last ? "   " : "│  "}`));
  });
  return lines;
}

/** Left-aligned text columns; numeric-looking columns right-aligned. */
export function columns(
  rows: readonly (readonly string[])[],
  rightAligned: readonly number[] = [],
): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) =>
        rightAligned.includes(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0),
      )
      .join("  ")
      .trimEnd(),
  );
}
