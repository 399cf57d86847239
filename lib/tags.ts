/** The tags every taggable AWS resource of a stack carries. */
export interface TagContext {
  readonly project: string;
  readonly stack: string;
  /** Extra tags from the stack's `tags` config. */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * The shared tags object, spread into every child (awsx `sharedTags`). The stack's own tags
 * come first so they cannot override the ones cost reports and policies rely on.
 */
export function baseTags(ctx: TagContext): Record<string, string> {
  return {
    ...ctx.extra,
    "pulumi:project": ctx.project,
    "pulumi:stack": ctx.stack,
    "managed-by": "pulumi",
  };
}

/** Adds a `Name` tag, as the EC2 console shows it. */
export function withName(tags: Record<string, string>, name: string): Record<string, string> {
  return { ...tags, Name: name };
}
