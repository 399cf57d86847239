import * as aws from "@pulumi/aws";
import { loadConfig } from "./config/load";
import { selectZones } from "./config/zones";

/**
 * The platform, composed per stack: config is validated first, so a bad value fails before
 * any resource is registered; every environment difference comes from the stack's config.
 */
export = async () => {
  const config = loadConfig();
  const zones = selectZones(config, (await aws.getAvailabilityZones({ state: "available" })).names);

  return {
    region: config.region,
    availabilityZones: zones,
  };
};
