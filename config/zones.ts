import { ConfigError } from "./errors";
import { Config } from "./load";

/**
 * The AZs a stack uses: the first `azCount` the region lists. Throws a {@link ConfigError} on
 * `azCount` when the region has fewer, before any resource exists.
 */
export function selectZones(config: Config, available: readonly string[]): string[] {
  if (config.azCount > available.length) {
    throw new ConfigError(config.stack, [
      {
        key: `${config.project}:azCount`,
        rule: `must be at most the ${available.length} AZs ${config.region} offers (${available.join(", ")})`,
        value: String(config.azCount),
      },
    ]);
  }
  return available.slice(0, config.azCount);
}
