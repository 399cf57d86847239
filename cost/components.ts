/** What grouping needs of a resource. */
export interface Located {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
}

/** The stack resource's type token. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The top-level component a resource belongs to, as `name (type)`: its ancestor (by parent
 * URN) just below the stack, or itself when the stack is its parent.
 */
export function componentOf(resource: Located, resources: readonly Located[]): string {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  let current = resource;
  for (;;) {
    const parent = current.parent ? byUrn.get(current.parent) : undefined;
    if (!parent || parent.type === STACK_TYPE) break;
    current = parent;
  }
  return `${current.name} (${current.type})`;
}
