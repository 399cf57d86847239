import * as aws from "@pulumi/aws";
import { Config } from "../config/load";
import { selectZones } from "../config/zones";

/**
 * The stack's AZs, asked of EC2 twice: every available zone the account has (names and zone
 * IDs), and the standard availability zones only. DescribeAvailabilityZones filters
 * `zone-type=availability-zone` and `opt-in-status=opt-in-not-required` (EC2 API reference)
 * drop opted-in Local and Wavelength Zones; {@link selectZones} then drops the zone IDs EKS
 * refuses and takes `azCount`.
 */
export async function stackZones(config: Config): Promise<string[]> {
  const [available, standard] = await Promise.all([
    aws.getAvailabilityZones({ state: "available" }),
    aws.getAvailabilityZones({
      state: "available",
      filters: [
        { name: "zone-type", values: ["availability-zone"] },
        { name: "opt-in-status", values: ["opt-in-not-required"] },
      ],
    }),
  ]);
  return selectZones(config, available, standard.names);
}
