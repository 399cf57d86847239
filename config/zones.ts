import { ConfigError } from "./errors";
import { Config } from "./load";

/**
 * Zone IDs where EKS refuses control-plane subnets (`UnsupportedAvailabilityZoneException`).
 * Source: the EKS user guide, "View Amazon EKS networking requirements for VPC and subnets"
 * (network-reqs.html), which lists use1-az3, usw1-az2 and cac1-az3. IDs, not names: a name
 * such as us-east-1c maps to a different physical zone in each account.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** What `aws.getAvailabilityZones` answered, as two parallel lists. */
export interface ZoneAnswer {
  readonly names: readonly string[];
  readonly zoneIds: readonly string[];
}

/** A zone the stack may not use, and why. */
export interface LeftOutZone {
  readonly name: string;
  readonly zoneId: string;
  readonly reason: string;
}

/** The zones a stack may use, in the region's order, and the ones left out. */
export interface EligibleZones {
  readonly names: string[];
  readonly leftOut: LeftOutZone[];
}

/**
 * Splits the region's available zones into those an EKS cluster can use and the rest: a zone
 * is left out when it is not a standard availability zone (a Local Zone or Wavelength Zone,
 * absent from `standardNames`, the answer filtered on `zone-type` and `opt-in-status`) or its
 * zone ID is one EKS refuses.
 */
export function eligibleZones(
  available: ZoneAnswer,
  standardNames: readonly string[],
): EligibleZones {
  const names: string[] = [];
  const leftOut: LeftOutZone[] = [];
  available.names.forEach((name, i) => {
    const zoneId = available.zoneIds[i] ?? "";
    if (!standardNames.includes(name)) {
      leftOut.push({
        name,
        zoneId,
        reason: "not a standard availability zone (Local or Wavelength Zone)",
      });
    } else if (EKS_UNSUPPORTED_ZONE_IDS.includes(zoneId)) {
      leftOut.push({ name, zoneId, reason: "EKS refuses control-plane subnets there" });
    } else {
      names.push(name);
    }
  });
  return { names, leftOut };
}

/**
 * The AZs a stack uses: the first `azCount` eligible zones ({@link eligibleZones}), in the
 * region's order, so adding an AZ appends one and never moves an existing subnet. Throws a
 * {@link ConfigError} on `azCount` when too few remain, naming the zones left out and why,
 * before any resource exists.
 */
export function selectZones(
  config: Config,
  available: ZoneAnswer,
  standardNames: readonly string[],
): string[] {
  const { names, leftOut } = eligibleZones(available, standardNames);
  if (config.azCount > names.length) {
    const without = leftOut.map((z) => `${z.name} (${z.zoneId}): ${z.reason}`).join("; ");
    throw new ConfigError(config.stack, [
      {
        key: `${config.project}:azCount`,
        rule:
          `must be at most the ${names.length} AZs ${config.region} offers an EKS cluster (${names.join(", ")})` +
          (leftOut.length > 0 ? `; left out: ${without}` : ""),
        value: String(config.azCount),
      },
    ]);
  }
  return names.slice(0, config.azCount);
}
