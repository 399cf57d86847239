import { readStackConfig } from "./runner";

/**
 * What the offline runs that act as a real `pulumi up` (the stack tests, `npm run snapshot`)
 * put in place of a shipped stack file's placeholders, which a real update refuses
 * (config/placeholders.ts): each documentation value and its stand-in, which is none.
 */
export const STAND_INS: readonly (readonly [string, string])[] = [
  ["192.0.2.0/24", "52.94.2.0/24"],
  ["198.51.100.0/24", "52.94.1.0/24"],
  ["203.0.113.0/24", "52.94.0.0/24"],
  ["123456789012", "210987654321"],
  ["Z0000000000EXAMPLE", "Z0STANDIN00000000"],
  ["example.com", "platform-stand-in.dev"],
  ["example.org", "platform-stand-in.dev"],
  ["example.net", "platform-stand-in.dev"],
];

/**
 * Overrides for every config key of a stack whose value holds a placeholder of
 * {@link STAND_INS}, with the stand-ins in its place; empty once the stack file holds real
 * values, so a user's own values are what their tests run.
 */
export function standInOverrides(stack: string, projectDir?: string): Record<string, string> {
  const { project, config } = readStackConfig(stack, {}, projectDir);
  const overrides: Record<string, string> = {};
  for (const [key, text] of Object.entries(config)) {
    if (!key.startsWith(`${project}:`)) continue;
    const replaced = STAND_INS.reduce((t, [from, to]) => t.split(from).join(to), text);
    if (replaced !== text) overrides[key] = replaced;
  }
  return overrides;
}
