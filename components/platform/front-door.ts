import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValidArgs, shown } from "../../lib/args";
import {
  ALB_SCHEME,
  ALB_SSL_POLICY,
  ExposedAs,
  ingressGroupName,
  loadBalancerAttributes,
  validGroupName,
} from "../../lib/front-door";
import { Protection } from "../../lib/protection";
import { AccessLogBucket } from "./front-door-logs";
import { DomainCertificate } from "./front-door-certificate";
import { webAcl } from "./front-door-waf";

/**
 * The controller name an IngressClass gives to hand its Ingresses to the LBC, which then reads
 * the class's IngressClassParams (pkg/ingress/class_loader.go, `IngressClassControllerALB`).
 */
export const ALB_INGRESS_CONTROLLER = "ingress.k8s.aws/alb";

/** The arguments of {@link FrontDoor}. */
export interface FrontDoorArgs {
  /** Prefix of the IngressGroup and IngressClass names (lib/naming.ts `namePrefix`). @default - none */
  readonly namePrefix: string;
  /** The Kubernetes provider of the cluster. @default - none */
  readonly provider: k8s.Provider;
  /** The schemes to create an ALB for: the exposures of the stack's HTTP services. @default - none */
  readonly schemes: readonly ExposedAs[];
  /** The domain the services get hosts under; empty for HTTP on the ALB's hostname. @default "" */
  readonly domain?: string;
  /** The public Route 53 hosted zone of `domain`; required with a domain. @default "" */
  readonly hostedZoneId?: string;
  /** ALB deletion protection. @default false */
  readonly deletionProtection?: boolean;
  /** Days of access logs to keep in an encrypted S3 bucket; undefined for no access logs. @default - none */
  readonly accessLogRetentionDays?: number;
  /** Put a WAF web ACL with AWS managed rule groups in front of the ALBs. @default false */
  readonly waf?: boolean;
  /** Protection of the stateful access-log bucket. @default { protect: false } */
  readonly protection?: Protection;
  /**
   * What the IngressClassParams need first: the Load Balancer Controller release (its CRD) and,
   * at merge, the network egress, so a destroy removes the ALBs while the controller can still
   * reach AWS. @default []
   */
  readonly requires?: pulumi.Resource[];
  /** Tags for the AWS resources (certificate, bucket, web ACL). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Every problem with {@link FrontDoorArgs}, one sentence each. */
export function validateFrontDoorArgs(args: FrontDoorArgs): string[] {
  const problems: string[] = [];
  const domain = args.domain ?? "";
  if ((domain === "") !== ((args.hostedZoneId ?? "") === "")) {
    problems.push(
      `domain and hostedZoneId must be set together; got ${shown({ domain, hostedZoneId: args.hostedZoneId })}`,
    );
  }
  for (const scheme of args.schemes) {
    const group = ingressGroupName(args.namePrefix, scheme);
    if (!validGroupName(group)) {
      problems.push(
        `namePrefix makes the IngressGroup name ${shown(group)} invalid: at most 63 lower-case letters, digits, '-' and '.'`,
      );
    }
  }
  const days = args.accessLogRetentionDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    problems.push(
      `accessLogRetentionDays must be a whole number of days, at least 1; got ${shown(days)}`,
    );
  }
  return problems;
}

/**
 * The stack's HTTPS front door: one ALB per scheme shared by every HTTP service, through the
 * Load Balancer Controller's IngressGroups. Each scheme gets an IngressClass whose
 * IngressClassParams hold every ALB-level setting (group, scheme, TLS policy, certificate,
 * attributes, WAF), so the services' Ingresses carry only per-service settings and can never
 * conflict. With a domain: an ACM certificate for it and its wildcard, validated in Route 53.
 * In production: deletion protection and access logs in an encrypted bucket; a WAF web ACL when
 * `waf` is on (the shipped prod stack turns it on).
 *
 * Destroy order: Ingresses depend on {@link ingressRequires} (the classes), the classes on the
 * certificate validation, the bucket policy and the web ACL, so the ALBs and their listeners
 * are gone before the certificate, the log bucket or the ACL are deleted.
 */
export class FrontDoor extends pulumi.ComponentResource {
  /** The IngressClass name of each scheme created. */
  public readonly classNames: Partial<Record<ExposedAs, string>>;
  /** What every service Ingress must depend on: the IngressClasses and their params. */
  public readonly ingressRequires: pulumi.Resource[];
  /** The domain, or "" without one. */
  public readonly domain: string;
  /** The issued certificate's ARN, with a domain. */
  public readonly certificateArn?: pulumi.Output<string>;
  /** The access-log bucket name, when access logs are on. */
  public readonly accessLogBucket?: pulumi.Output<string>;
  /** The web ACL's ARN, when WAF is on. */
  public readonly webAclArn?: pulumi.Output<string>;

  constructor(name: string, args: FrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("FrontDoor", validateFrontDoorArgs(args));
    super("platform:k8s:FrontDoor", name, {}, opts);
    const tags = { ...args.tags };
    this.domain = args.domain ?? "";

    const certificate =
      this.domain !== ""
        ? new DomainCertificate(
            `${name}-certificate`,
            { domain: this.domain, hostedZoneId: args.hostedZoneId!, tags },
            { parent: this },
          )
        : undefined;
    const logs =
      args.accessLogRetentionDays !== undefined
        ? new AccessLogBucket(
            `${args.namePrefix}-alb-logs`,
            {
              retentionDays: args.accessLogRetentionDays,
              protection: args.protection ?? { protect: false },
              tags,
            },
            { parent: this },
          )
        : undefined;
    const acl =
      args.waf === true ? webAcl(`${args.namePrefix}-alb`, tags, { parent: this }) : undefined;
    this.certificateArn = certificate?.certificateArn;
    this.accessLogBucket = logs?.bucketName;
    this.webAclArn = acl?.arn;

    const attributes = logs
      ? logs.bucketName.apply((bucket) =>
          loadBalancerAttributes({
            deletionProtection: args.deletionProtection ?? false,
            accessLogs: { bucket, prefix: logs.prefix },
          }),
        )
      : loadBalancerAttributes({ deletionProtection: args.deletionProtection ?? false });
    const k8sOpts = { parent: this, provider: args.provider };
    this.classNames = {};
    this.ingressRequires = [];
    for (const scheme of args.schemes) {
      const group = ingressGroupName(args.namePrefix, scheme);
      // IngressClassParams fields per apis/elbv2/v1beta1/ingressclassparams_types.go at v3.5
      // (wafv2AclArn since v2.14, PR #3961); they override the matching Ingress annotations.
      const params = new k8s.apiextensions.CustomResource(
        `${name}-${scheme}-params`,
        {
          apiVersion: "elbv2.k8s.aws/v1beta1",
          kind: "IngressClassParams",
          metadata: { name: group },
          spec: {
            group: { name: group },
            scheme: ALB_SCHEME[scheme],
            ipAddressType: "ipv4",
            loadBalancerAttributes: attributes,
            ...(certificate
              ? { certificateArn: [certificate.certificateArn], sslPolicy: ALB_SSL_POLICY }
              : {}),
            ...(acl ? { wafv2AclArn: acl.arn } : {}),
          },
        },
        {
          ...k8sOpts,
          // The ALB turns access logging on only if the bucket policy already lets ELB write.
          dependsOn: [...(args.requires ?? []), ...(logs ? [logs.policy] : [])],
        },
      );
      const ingressClass = new k8s.networking.v1.IngressClass(
        `${name}-${scheme}`,
        {
          metadata: { name: group },
          spec: {
            controller: ALB_INGRESS_CONTROLLER,
            parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: group },
          },
        },
        { ...k8sOpts, dependsOn: [params, ...(args.requires ?? [])] },
      );
      this.classNames[scheme] = group;
      this.ingressRequires.push(params, ingressClass);
    }
    this.registerOutputs({
      classNames: this.classNames,
      certificateArn: this.certificateArn,
      accessLogBucket: this.accessLogBucket,
      webAclArn: this.webAclArn,
    });
  }
}
