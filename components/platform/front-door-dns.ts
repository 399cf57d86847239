import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One host to point at a shared ALB. */
export interface HostRecord {
  /** The host name, under the zone's domain. */
  readonly host: string;
  /** The ALB's DNS name, from the status of the service's Ingress. */
  readonly albHostname: pulumi.Input<string>;
}

/** The arguments of {@link FrontDoorRecords}. */
export interface FrontDoorRecordsArgs {
  /** The public Route 53 hosted zone of the domain. @default - none */
  readonly hostedZoneId: string;
  /** The hosts, one alias record each. @default - none */
  readonly records: readonly HostRecord[];
}

/**
 * Route 53 alias records, one per service host, pointing at the shared ALB. Pulumi owns them,
 * rather than external-dns: they are created once the Ingress reports the ALB, and a destroy
 * deletes them deterministically, before the Ingress they read (external-dns would need its own
 * controller, IAM role and egress, and deletes records on a sync loop that a destroy can cut
 * short, leaving records behind). The ALB's canonical hosted zone comes from the provider's
 * built-in table (`aws.elb.getHostedZoneId`, no API call), so it is known even in a preview;
 * ALBs share it with Classic Load Balancers ("Elastic Load Balancing endpoints and quotas").
 */
export class FrontDoorRecords extends pulumi.ComponentResource {
  /** The records, by host. */
  public readonly records: Record<string, aws.route53.Record>;

  constructor(name: string, args: FrontDoorRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:aws:FrontDoorRecords", name, {}, opts);
    const zone = aws.elb.getHostedZoneIdOutput({}, { parent: this });
    this.records = {};
    for (const { host, albHostname } of args.records) {
      this.records[host] = new aws.route53.Record(
        `${name}-${host}`,
        {
          zoneId: args.hostedZoneId,
          name: host,
          type: "A",
          aliases: [{ name: albHostname, zoneId: zone.id, evaluateTargetHealth: true }],
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
