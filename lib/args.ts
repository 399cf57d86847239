/**
 * Throws one Error listing every problem found in a component's arguments, or returns when
 * there is none. Components call it first, before registering any child.
 */
export function assertValidArgs(component: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new Error(`invalid ${component} arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/** Shows a received value in a message: strings quoted, arrays and objects as JSON. */
export function shown(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}
