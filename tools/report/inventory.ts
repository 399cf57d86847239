import { STACK_TYPE } from "../../cost/components";

/** What the inventory needs of a recorded resource. */
export interface InventoryResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  readonly custom?: boolean;
}

/** One node of the resource tree: a resource and its children, by parent URN. */
export interface TreeNode {
  readonly type: string;
  readonly name: string;
  readonly children: readonly TreeNode[];
}

/** A stack's resources: the tree, and how many of each type. */
export interface Inventory {
  /** Every resource but the stack itself. */
  readonly total: number;
  /** Resource count per type token, sorted by type. */
  readonly counts: Readonly<Record<string, number>>;
  /** The stack's resource tree (the stack at the root). */
  readonly tree: readonly TreeNode[];
  /** Logical `type::name` keys, for comparing stacks. */
  readonly keys: readonly string[];
}

/** Builds the inventory of a recorded stack. */
export function inventory(resources: readonly InventoryResource[]): Inventory {
  const children = new Map<string, InventoryResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  const roots: InventoryResource[] = [];
  for (const r of resources) {
    if (r.parent && urns.has(r.parent)) {
      children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    } else {
      roots.push(r);
    }
  }
  const node = (r: InventoryResource): TreeNode => ({
    type: r.type,
    name: r.name,
    children: (children.get(r.urn) ?? []).map(node),
  });
  const counted = resources.filter((r) => r.type !== STACK_TYPE);
  const counts: Record<string, number> = {};
  for (const r of [...counted].sort((a, b) => a.type.localeCompare(b.type))) {
    counts[r.type] = (counts[r.type] ?? 0) + 1;
  }
  return {
    total: counted.length,
    counts,
    tree: roots.map(node),
    keys: counted.map((r) => `${r.type}::${r.name}`).sort(),
  };
}

/** How two stacks' inventories differ. */
export interface InventoryDiff {
  readonly stacks: readonly [string, string];
  /** Types present in only one stack. */
  readonly typesOnlyIn: readonly [readonly string[], readonly string[]];
  /** Types in both, with different counts. */
  readonly countDifferences: readonly {
    readonly type: string;
    readonly counts: readonly [number, number];
  }[];
  /** Resources (`type::name`, the stack's name as `<stack>`) present in only one stack. */
  readonly resourcesOnlyIn: readonly [readonly string[], readonly string[]];
}

/**
 * A resource key with its stack's name, where it stands as a word of the logical name
 * (`platform-dev-nat-0`), replaced by `<stack>`, so the same resource matches across stacks.
 */
export function stackNeutral(key: string, stack: string): string {
  const at = key.indexOf("::");
  const escaped = stack.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const word = new RegExp(`(^|[-_.:/])${escaped}(?=$|[-_.:/])`, "g");
  return key.slice(0, at + 2) + key.slice(at + 2).replace(word, "$1<stack>");
}

/** Compares two inventories: what each has that the other lacks, and count differences. */
export function diffInventories(
  stacks: readonly [string, string],
  a: Pick<Inventory, "counts" | "keys">,
  b: Pick<Inventory, "counts" | "keys">,
): InventoryDiff {
  const only = (x: readonly string[], y: readonly string[]) => {
    const other = new Set(y);
    return x.filter((k) => !other.has(k));
  };
  const keysA = a.keys.map((k) => stackNeutral(k, stacks[0]));
  const keysB = b.keys.map((k) => stackNeutral(k, stacks[1]));
  const typesA = Object.keys(a.counts);
  const typesB = Object.keys(b.counts);
  return {
    stacks,
    typesOnlyIn: [only(typesA, typesB), only(typesB, typesA)],
    countDifferences: typesA
      .filter((t) => t in b.counts && a.counts[t] !== b.counts[t])
      .map((type) => ({ type, counts: [a.counts[type] ?? 0, b.counts[type] ?? 0] as const })),
    resourcesOnlyIn: [only(keysA, keysB), only(keysB, keysA)],
  };
}
