import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/** The options Pulumi sent with a registration: what `newResource` alone cannot see. */
export interface RecordedOptions {
  readonly protect: boolean;
  /** URNs this resource depends on (explicit `dependsOn` and input dependencies). */
  readonly dependencies: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly retainOnDelete: boolean;
  readonly deletedWith: string;
  readonly aliases: number;
  /** `customTimeouts.delete`, empty when unset: how long a destroy waits (finalizers). */
  readonly deleteTimeout: string;
}

/** One resource the program registered. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The parent's URN; empty for the stack itself. */
  readonly parent: string;
  readonly inputs: Record<string, unknown>;
  /** A provider-managed resource, as opposed to a component. */
  readonly custom: boolean;
  /** A multi-language component: under mocks it has no children. */
  readonly remote: boolean;
  /** The provider reference (`urn::id`), empty for the default provider. */
  readonly provider: string;
  readonly options: RecordedOptions;
}

/** The account and place the mocks pretend to run in. */
export interface MockEnvironment {
  readonly region: string;
  /** @default "123456789012" */
  readonly accountId?: string;
  /** Simulate `pulumi preview`: computed outputs are unknown. @default false */
  readonly preview?: boolean;
}

/** How many AZs each region offers, as `aws ec2 describe-availability-zones` lists them. */
export const REGION_AZS: Record<string, string[]> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "eu-west-1": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
};

const DEPLOYER_ROLE = "PlatformDeployer";

/**
 * The Route 53 hosted zone of ALBs (and Classic Load Balancers) per region, as the "Elastic Load
 * Balancing endpoints and quotas" table lists them.
 */
const ALB_HOSTED_ZONE_IDS: Record<string, string> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-central-1": "Z215JYRZR1TBD5",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
};

/** The regional Elastic Load Balancing account that writes access logs ("Enable access logs"). */
const ELB_ACCOUNTS: Record<string, string> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-2": "797873946194",
  "eu-west-1": "156460612806",
  "eu-central-1": "054676820928",
  "ap-southeast-2": "783225319266",
};

/**
 * Pulumi mocks that answer as AWS would and remember every registration. Invokes it does not
 * know fail loudly, so a new data source cannot run against an empty answer unnoticed.
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private readonly accountId: string;

  constructor(private readonly env: MockEnvironment) {
    this.accountId = env.accountId ?? "123456789012";
  }

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string;
    state: Record<string, unknown>;
  } {
    const id = args.id || `${args.name}-id`;
    return { id, state: { ...args.inputs, ...this.computed(args) } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { region, accountId } = { region: this.env.region, accountId: this.accountId };
    switch (args.token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        // Zone IDs in the account's own mapping: us-east-1c is use1-az3 here, a zone EKS
        // refuses. Unfiltered, the answer also holds an opted-in Local Zone, as a real account
        // that opted in gets; the zone-type/opt-in-status filters leave standard AZs only.
        const letters = REGION_AZS[region] ?? ["a", "b", "c"];
        const short = zoneIdPrefix(region);
        const zones = letters.map((l, i) => ({
          name: `${region}${l}`,
          zoneId: `${short}-az${i + 1}`,
          group: region,
        }));
        const filtered = ((args.inputs.filters as { name: string }[] | undefined) ?? []).some(
          (f) => f.name === "zone-type" || f.name === "opt-in-status",
        );
        const local = {
          name: `${region}-bos-1a`,
          zoneId: `${short}-bos1-az1`,
          group: `${region}-bos-1`,
        };
        const all = filtered ? zones : [...zones, local];
        return {
          id: region,
          names: all.map((z) => z.name),
          zoneIds: all.map((z) => z.zoneId),
          groupNames: [...new Set(all.map((z) => z.group))],
        };
      }
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          id: accountId,
          accountId,
          arn: `arn:aws:sts::${accountId}:assumed-role/${DEPLOYER_ROLE}/laptop-session`,
          userId: "AROAEXAMPLE:laptop-session",
        };
      case "aws:iam/getSessionContext:getSessionContext":
        return {
          id: args.inputs.arn,
          arn: args.inputs.arn,
          issuerArn: `arn:aws:iam::${accountId}:role/${DEPLOYER_ROLE}`,
          issuerId: "AROAEXAMPLE",
          issuerName: DEPLOYER_ROLE,
          sessionName: "laptop-session",
        };
      case "aws:index/getPartition:getPartition":
        return {
          id: "aws",
          partition: "aws",
          dnsSuffix: "amazonaws.com",
          reverseDnsPrefix: "com.amazonaws",
        };
      case "aws:index/getRegion:getRegion":
        return {
          id: region,
          name: region,
          region,
          description: region,
          endpoint: `ec2.${region}.amazonaws.com`,
        };
      // The provider answers these two from built-in tables, without calling AWS.
      case "aws:elb/getHostedZoneId:getHostedZoneId":
        return { id: ALB_HOSTED_ZONE_IDS[region] ?? "Z35SXDOTRQ7X7K", region };
      case "aws:elb/getServiceAccount:getServiceAccount": {
        const elbAccount = ELB_ACCOUNTS[region] ?? "127311923021";
        return { id: elbAccount, arn: `arn:aws:iam::${elbAccount}:root`, region };
      }
      default: {
        const message = `mock harness: no answer for invoke ${args.token}; add a realistic one to tools/mocks.ts`;
        // The SDK rethrows a failed invoke as `new Error(err.details)`, the gRPC field: without
        // it the program would see an Error with no message.
        throw Object.assign(new Error(message), { details: message });
      }
    }
  }

  /** Outputs the provider would compute, keyed by type; inputs are echoed as state too. */
  private computed(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    const unknown = (v: unknown) => (this.env.preview ? pulumi.runtime.unknownValue : v);
    const { region } = this.env;
    const inputs = args.inputs as Record<string, unknown>;
    const name = (inputs.name as string | undefined) ?? args.name;
    const service = args.type.split(":")[1]?.split("/")[0] ?? "x";
    const out: Record<string, unknown> = {
      arn: unknown(`arn:aws:${service}:${region}:${this.accountId}:${name}`),
      name,
    };
    switch (args.type) {
      case "aws:eks/cluster:Cluster":
        return {
          ...out,
          endpoint: unknown(
            `https://${digest(name, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
          ),
          certificateAuthority: { data: unknown(Buffer.from(`ca-${name}`).toString("base64")) },
          identities: [
            {
              oidcs: [
                {
                  issuer: unknown(
                    `https://oidc.eks.${region}.amazonaws.com/id/${digest(name, 32).toUpperCase()}`,
                  ),
                },
              ],
            },
          ],
          vpcConfig: {
            ...(inputs.vpcConfig as object),
            clusterSecurityGroupId: unknown(`sg-${digest(name, 17)}`),
          },
          status: "ACTIVE",
        };
      case "aws:ecr/repository:Repository":
        return {
          ...out,
          repositoryUrl: `${this.accountId}.dkr.ecr.${region}.amazonaws.com/${name}`,
          registryId: this.accountId,
        };
      case "awsx:ecr:Image":
        return {
          imageUri: unknown(
            `${String(inputs.repositoryUrl)}@sha256:${digest(JSON.stringify(inputs), 64)}`,
          ),
        };
      case "aws:kms/key:Key":
        return { ...out, keyId: unknown(`${digest(name, 8)}-0000-4000-8000-${digest(name, 12)}`) };
      case "aws:ec2/vpc:Vpc":
        return {
          ...out,
          defaultSecurityGroupId: unknown(`sg-${digest(name, 17)}`),
          mainRouteTableId: `rtb-${digest(name, 17)}`,
        };
      case "aws:cloudwatch/logGroup:LogGroup":
        return {
          ...out,
          arn: unknown(`arn:aws:logs:${region}:${this.accountId}:log-group:${name}`),
        };
      case "aws:ec2/eip:Eip": {
        const octets = Buffer.from(digest(name, 6), "hex");
        return {
          ...out,
          allocationId: unknown(`eipalloc-${digest(name, 17)}`),
          publicIp: unknown(`54.${octets[0]}.${octets[1]}.${octets[2]}`),
        };
      }
      case "aws:ec2/launchTemplate:LaunchTemplate":
        return { ...out, latestVersion: unknown(1), defaultVersion: 1 };
      case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        return {
          ...out,
          arn: unknown(
            `arn:aws:iam::${this.accountId}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`,
          ),
        };
      case "aws:secretsmanager/secret:Secret": {
        // A real secret ARN ends in the name plus "-" and 6 random characters, which policies
        // that name secrets exactly (policy rule secrets-read-exact-arns) rely on.
        const secretName =
          (inputs.name as string | undefined) ??
          `${(inputs.namePrefix as string | undefined) ?? `${args.name}-`}${digest(args.name, 26)}`;
        return {
          ...out,
          name: unknown(secretName),
          arn: unknown(
            `arn:aws:secretsmanager:${region}:${this.accountId}:secret:${secretName}-${digest(secretName, 6)}`,
          ),
        };
      }
      case "aws:s3/bucket:Bucket": {
        // Auto-naming happens in the provider, so the mock adds the random suffix itself.
        const given = inputs.bucket as string | undefined;
        const bucket = given ?? `${args.name}-${digest(args.name, 7)}`;
        return {
          bucket: given ?? unknown(bucket),
          arn: unknown(`arn:aws:s3:::${bucket}`),
          bucketDomainName: unknown(`${bucket}.s3.amazonaws.com`),
          region,
        };
      }
      case "aws:acm/certificate:Certificate": {
        // ACM asks for one CNAME per domain; the wildcard shares its base domain's record.
        const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as string[]) ?? [])];
        return {
          ...out,
          arn: unknown(`arn:aws:acm:${region}:${this.accountId}:certificate/${digest(name, 8)}`),
          domainValidationOptions: names.map((n) => {
            const base = String(n).replace(/^\*\./, "");
            return {
              domainName: n,
              resourceRecordName: unknown(`_${digest(base, 32)}.${base}.`),
              resourceRecordType: "CNAME",
              resourceRecordValue: unknown(`_${digest(base, 32)}.validations.aws.`),
            };
          }),
        };
      }
      case "aws:route53/record:Record":
        return { ...out, fqdn: unknown(String(inputs.name).replace(/\.$/, "")) };
      case "aws:wafv2/webAcl:WebAcl":
        return {
          ...out,
          arn: unknown(
            `arn:aws:wafv2:${region}:${this.accountId}:regional/webacl/${name}/${digest(name, 36)}`,
          ),
        };
      case "kubernetes:networking.k8s.io/v1:Ingress": {
        // Every Ingress of an IngressGroup reports the group's one ALB.
        const group = String((inputs.spec as { ingressClassName?: string })?.ingressClassName);
        return {
          status: {
            loadBalancer: {
              ingress: [
                {
                  hostname: unknown(
                    `k8s-${group.slice(0, 17)}-${digest(group, 10)}-${digest(group, 10).slice(0, 9)}.${region}.elb.amazonaws.com`,
                  ),
                },
              ],
            },
          },
        };
      }
      case "random:index/randomPassword:RandomPassword":
        return { result: unknown(digest(name, 24)) };
      case "kubernetes:core/v1:Service": {
        const spec = inputs.spec as { type?: string } | undefined;
        const lb = spec?.type === "LoadBalancer";
        return lb
          ? {
              status: {
                loadBalancer: {
                  ingress: [
                    { hostname: unknown(`k8s-${digest(name, 20)}.elb.${region}.amazonaws.com`) },
                  ],
                },
              },
            }
          : {};
      }
      default:
        return args.custom === false ? {} : out;
    }
  }
}

/** The zone-ID prefix of a region, as AWS forms it: us-east-1 is use1, ap-southeast-2 apse2. */
function zoneIdPrefix(region: string): string {
  const [area = "", direction = "", number = ""] = region.split("-");
  const short = direction.replace(/(north|south|east|west|central)/g, (d) => d[0]!);
  return `${area}${short}${number}`;
}

/** A stable hex string derived from a value, so mock ids and hashes repeat run to run. */
function digest(value: string, length: number): string {
  return createHash("sha256").update(value).digest("hex").slice(0, length);
}
