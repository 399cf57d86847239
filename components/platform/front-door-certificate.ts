import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withName } from "../../lib/tags";

/** The arguments of {@link DomainCertificate}. */
export interface DomainCertificateArgs {
  /** The domain; the certificate covers it and `*.<domain>`. @default - none */
  readonly domain: string;
  /** The public Route 53 hosted zone holding the domain, for the validation record. @default - none */
  readonly hostedZoneId: string;
  /** Tags for the certificate. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An ACM certificate for a domain and its wildcard, validated through DNS in the domain's
 * Route 53 zone, and waited for: {@link certificateArn} resolves only once ACM has issued it,
 * so nothing attaches a pending certificate to a listener. ACM asks for the same CNAME for
 * `example.com` and `*.example.com` ("DNS validation" in the ACM user guide), so one record
 * validates both names.
 */
export class DomainCertificate extends pulumi.ComponentResource {
  /** The ARN of the issued certificate (from the validation, so users wait for it). */
  public readonly certificateArn: pulumi.Output<string>;
  /** The validation: what a listener using the certificate depends on. */
  public readonly validation: aws.acm.CertificateValidation;

  constructor(name: string, args: DomainCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:aws:DomainCertificate", name, {}, opts);
    const certificate = new aws.acm.Certificate(
      name,
      {
        domainName: args.domain,
        subjectAlternativeNames: [`*.${args.domain}`],
        validationMethod: "DNS",
        tags: withName({ ...args.tags }, args.domain),
      },
      // A replacement is issued before the old one goes, so the listeners never lack one.
      { parent: this },
    );
    const option = certificate.domainValidationOptions.apply((options) => {
      const found = options.find((o) => o.domainName === args.domain);
      if (!found) throw new Error(`ACM returned no DNS validation option for ${args.domain}`);
      return found;
    });
    const record = new aws.route53.Record(
      `${name}-validation`,
      {
        zoneId: args.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        // ACM reuses one CNAME per domain and account: a record left by an earlier certificate
        // for the same domain is taken over rather than failing the create (the provider's
        // documented DNS validation example does the same).
        allowOverwrite: true,
      },
      { parent: this },
    );
    this.validation = new aws.acm.CertificateValidation(
      name,
      { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
      { parent: this },
    );
    this.certificateArn = this.validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}
