import { clusterStub } from "./cluster-stub";
import type { FrontDoor } from "../../components/platform";
import type { Service } from "../../components/service";
import { serviceSchema } from "../../config/schema";
import {
  RecordedResource,
  dependencyClosure,
  findResource,
  ofType,
  useMocks,
  valueOf,
} from "../harness";

// Recorded inputs are untyped JSON; the tests read them by path.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const DIGEST = `123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-test/app@sha256:${"a".repeat(64)}`;
const DOMAIN = "apps.example.com";
const ZONE = "Z0123456789ABCDEFGHIJ";
const PUBLIC_CIDRS = ["10.0.255.0/24", "10.0.254.0/24"];
const PRIVATE_CIDRS = ["10.0.0.0/19", "10.0.32.0/19"];

// shop: internet-facing HTTP on its default host; admin: internal HTTP on a host of its own.
const SETTINGS = {
  shop: serviceSchema.parse({ expose: "internet", minReplicas: 2 }),
  admin: serviceSchema.parse({ expose: "internal", host: `console.${DOMAIN}`, port: 9000 }),
};

let resources: RecordedResource[];
let done: () => Promise<void>;
let frontDoor: FrontDoor;
let services: Record<keyof typeof SETTINGS, Service>;
const urn: Record<string, string> = {};

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const { Service } = await import("../../components/service");
  const { FrontDoor, FrontDoorRecords, LoadBalancerController } =
    await import("../../components/platform");
  const { provider, nodeGroup } = await clusterStub();
  const controller = new LoadBalancerController("lbc", {
    clusterName: "platform-test",
    vpcId: "vpc-1",
    region: "us-east-1",
    provider,
    namePrefix: "platform-test",
    requires: [nodeGroup],
  });
  frontDoor = new FrontDoor("front-door", {
    namePrefix: "platform-test",
    provider,
    schemes: ["internet", "internal"],
    domain: DOMAIN,
    hostedZoneId: ZONE,
    deletionProtection: true,
    accessLogRetentionDays: 365,
    waf: true,
    protection: { protect: true },
    requires: [controller.release],
    tags: { team: "platform" },
  });
  const make = (name: keyof typeof SETTINGS, cidrs: string[], host: string) =>
    new Service(name, {
      image: DIGEST,
      settings: SETTINGS[name],
      clusterName: "platform-test",
      provider,
      loadBalancerDependsOn: [controller.release, nodeGroup],
      ingress: {
        className: frontDoor.classNames[SETTINGS[name].expose as "internet"]!,
        host,
        albSourceCidrs: cidrs,
        requires: frontDoor.ingressRequires,
      },
    });
  services = {
    shop: make("shop", PUBLIC_CIDRS, `shop.${DOMAIN}`),
    admin: make("admin", PRIVATE_CIDRS, `console.${DOMAIN}`),
  };
  new FrontDoorRecords("front-door-dns", {
    hostedZoneId: ZONE,
    records: Object.values(services).map((s) => ({ host: s.host!, albHostname: s.hostname! })),
  });
  await Promise.all([valueOf(services.shop.url!), valueOf(services.admin.url!)]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  urn.controller = await valueOf(controller.release.urn);
  urn.nodeGroup = await valueOf(nodeGroup.urn);
});
afterAll(() => done());

const one = (type: string, name: string) => findResource(resources, type, name);
const ingress = (name: string) => one("kubernetes:networking.k8s.io/v1:Ingress", `${name}-ingress`);
const params = (scheme: string) =>
  one("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", `front-door-${scheme}-params`);
const ingressClass = (scheme: string) =>
  one("kubernetes:networking.k8s.io/v1:IngressClass", `front-door-${scheme}`);

const closure = (start: RecordedResource) => dependencyClosure(resources, start);

describe("FrontDoor: one ALB per scheme, shared through an IngressGroup", () => {
  it.each([
    ["internet", "internet-facing"],
    ["internal", "internal"],
  ])("%s: an IngressClass for the LBC whose params set the group and scheme %s", (scheme, lb) => {
    const group = `platform-test-${scheme}`;
    expect(ingressClass(scheme).inputs).toMatchObject({
      metadata: { name: group },
      spec: {
        controller: "ingress.k8s.aws/alb",
        parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: group },
      },
    });
    expect(params(scheme).inputs).toMatchObject({
      metadata: { name: group },
      spec: { group: { name: group }, scheme: lb, ipAddressType: "ipv4" },
    });
    expect(frontDoor.classNames[scheme as "internet"]).toBe(group);
  });

  it("terminates TLS 1.2+/1.3 with the domain's certificate once ACM has issued it", () => {
    const validation = one(
      "aws:acm/certificateValidation:CertificateValidation",
      "front-door-certificate",
    );
    for (const scheme of ["internet", "internal"]) {
      const spec = params(scheme).inputs.spec as Json;
      expect(spec.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
      expect(spec.certificateArn).toEqual([validation.inputs.certificateArn]);
      // The ARN comes from the validation, so the listener waits for issuance.
      expect(params(scheme).options.dependencies).toContain(validation.urn);
    }
  });

  it("drops invalid header fields and turns on deletion protection and access logs", () => {
    const attributes = (params("internet").inputs.spec as Json).loadBalancerAttributes;
    expect(attributes).toEqual([
      { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
      { key: "deletion_protection.enabled", value: "true" },
      { key: "access_logs.s3.enabled", value: "true" },
      {
        key: "access_logs.s3.bucket",
        value: expect.stringMatching(/^platform-test-alb-logs-[0-9a-f]{7}$/),
      },
      { key: "access_logs.s3.prefix", value: "alb" },
    ]);
  });

  it("attaches the WAF web ACL to both ALBs", () => {
    const acl = one("aws:wafv2/webAcl:WebAcl", "platform-test-alb");
    for (const scheme of ["internet", "internal"]) {
      expect(params(scheme).options.dependencies).toContain(acl.urn);
      expect((params(scheme).inputs.spec as Json).wafv2AclArn).toMatch(/^arn:aws:wafv2:us-east-1:/);
    }
  });

  it("creates the classes after the controller (its CRD) and the access-log bucket policy", () => {
    const policy = one("aws:s3/bucketPolicy:BucketPolicy", "platform-test-alb-logs");
    for (const scheme of ["internet", "internal"]) {
      expect(params(scheme).options.dependencies).toEqual(
        expect.arrayContaining([urn.controller, policy.urn]),
      );
      expect(ingressClass(scheme).options.dependencies).toEqual(
        expect.arrayContaining([urn.controller, params(scheme).urn]),
      );
    }
  });
});

describe("FrontDoor: the certificate", () => {
  it("covers the domain and its wildcard, validated through DNS", () => {
    expect(one("aws:acm/certificate:Certificate", "front-door-certificate").inputs).toMatchObject({
      domainName: DOMAIN,
      subjectAlternativeNames: [`*.${DOMAIN}`],
      validationMethod: "DNS",
    });
  });

  it("writes the one validation CNAME ACM asks for into the zone and waits on it", () => {
    const records = ofType(resources, "aws:route53/record:Record").filter((r) =>
      r.name.endsWith("-validation"),
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.inputs).toMatchObject({ zoneId: ZONE, type: "CNAME", ttl: 300 });
    const validation = one(
      "aws:acm/certificateValidation:CertificateValidation",
      "front-door-certificate",
    );
    expect(validation.inputs.validationRecordFqdns).toEqual([
      expect.stringMatching(new RegExp(`^_[0-9a-f]{32}\\.${DOMAIN.replace(/\./g, "\\.")}$`)),
    ]);
    expect(validation.options.dependencies).toContain(records[0]!.urn);
  });
});

describe("FrontDoor: access logs and WAF", () => {
  const bucketPart = (type: string) => one(type, "platform-test-alb-logs");

  it("keeps logs in an S3-encrypted, private, protected bucket that expires them", () => {
    expect(bucketPart("aws:s3/bucket:Bucket").options.protect).toBe(true);
    expect(bucketPart("aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
    expect(
      (
        bucketPart(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        ).inputs as Json
      ).rules[0].applyServerSideEncryptionByDefault,
    ).toEqual({ sseAlgorithm: "AES256" });
    expect(
      bucketPart("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      (
        bucketPart("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
          .inputs as Json
      ).rules[0].expiration,
    ).toEqual({ days: 365 });
  });

  it("lets only ELB log delivery write, under the prefix and account, and denies plain HTTP", () => {
    const policy = JSON.parse(String(bucketPart("aws:s3/bucketPolicy:BucketPolicy").inputs.policy));
    const [account, service, deny] = policy.Statement;
    expect(account.Principal).toEqual({ AWS: "arn:aws:iam::127311923021:root" });
    expect(service.Principal).toEqual({
      Service: "logdelivery.elasticloadbalancing.amazonaws.com",
    });
    for (const s of [account, service]) {
      expect(s.Action).toBe("s3:PutObject");
      expect(s.Resource).toMatch(/\/alb\/AWSLogs\/123456789012\/\*$/);
    }
    expect(deny).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("runs the AWS managed rule groups in a regional web ACL that allows the rest", () => {
    const acl = one("aws:wafv2/webAcl:WebAcl", "platform-test-alb").inputs as Json;
    expect(acl.scope).toBe("REGIONAL");
    expect(acl.defaultAction).toEqual({ allow: {} });
    expect(acl.rules.map((r: Json) => r.statement.managedRuleGroupStatement)).toEqual([
      { vendorName: "AWS", name: "AWSManagedRulesAmazonIpReputationList" },
      { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" },
      { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" },
    ]);
    for (const rule of acl.rules) expect(rule.overrideAction).toEqual({ none: {} });
  });
});

describe("Service behind the front door", () => {
  it.each([
    ["shop", `shop.${DOMAIN}`, "platform-test-internet", 8080],
    ["admin", `console.${DOMAIN}`, "platform-test-internal", 9000],
  ])("%s: one Ingress in its namespace, host %s, class %s", (name, host, className, port) => {
    const ing = ingress(name);
    expect((ing.inputs.metadata as Json).namespace).toBe(name);
    expect(ing.inputs.spec).toEqual({
      ingressClassName: className,
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name, port: { number: port } } },
              },
            ],
          },
        },
      ],
    });
  });

  it.each(["shop", "admin"])(
    "%s: IP targets, readiness health check, preStop-matched deregistration, HTTPS with a redirect",
    (name) => {
      expect((ingress(name).inputs.metadata as Json).annotations).toEqual({
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
        "alb.ingress.kubernetes.io/target-group-attributes":
          "deregistration_delay.timeout_seconds=30",
        "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
      });
    },
  );

  it("sets no ALB-level annotation that could conflict across the group (the params hold them)", () => {
    // The "Exclusive" annotations of the LBC annotation table, v3.5.
    const exclusive = [
      "load-balancer-name",
      "group.name",
      "ip-address-type",
      "scheme",
      "subnets",
      "security-groups",
      "load-balancer-attributes",
      "wafv2-acl-arn",
      "ssl-policy",
      "certificate-arn",
      "inbound-cidrs",
    ].map((a) => `alb.ingress.kubernetes.io/${a}`);
    for (const ing of ofType(resources, "kubernetes:networking.k8s.io/v1:Ingress")) {
      const keys = Object.keys((ing.inputs.metadata as Json).annotations);
      expect(keys.filter((k) => exclusive.includes(k))).toEqual([]);
    }
  });

  it("is a ClusterIP Service: the ALB sends to pod IPs, no NLB", () => {
    for (const name of ["shop", "admin"]) {
      const svc = one("kubernetes:core/v1:Service", `${name}-service`);
      expect((svc.inputs.spec as Json).type).toBe("ClusterIP");
      expect((svc.inputs.metadata as Json).annotations).toBeUndefined();
    }
  });

  it("injects the readiness gate, so a rollout waits for healthy ALB targets", () => {
    for (const name of ["shop", "admin"]) {
      const labels = (
        one("kubernetes:core/v1:Namespace", `${name}-namespace`).inputs.metadata as Json
      ).labels;
      expect(labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
    }
  });

  it.each([
    ["shop", PUBLIC_CIDRS, 8080],
    ["admin", PRIVATE_CIDRS, 9000],
  ])(
    "%s: admits the ALB's subnets on the app port (for an internal ALB the private subnets, which pods share: a known gap), and no namespace-wide ingress",
    (name, cidrs, port) => {
      const alb = one("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${name}-allow-alb`).inputs
        .spec;
      expect(alb).toEqual({
        podSelector: { matchLabels: { "app.kubernetes.io/name": name } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: cidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [{ port, protocol: "TCP" }],
          },
        ],
      });
      const own = one("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${name}-allow`).inputs
        .spec as Json;
      // Calls from other services are declared (`calls`) and opened by their own policy.
      expect(JSON.stringify(own.ingress ?? [])).not.toContain('"namespaceSelector":{}');
    },
  );

  it("outputs https URLs on the hosts, and the shared ALB's hostname", async () => {
    expect(await valueOf(services.shop.url!)).toBe(`https://shop.${DOMAIN}/`);
    expect(await valueOf(services.admin.url!)).toBe(`https://console.${DOMAIN}/`);
    expect(await valueOf(services.shop.hostname!)).toMatch(
      /^k8s-.*\.us-east-1\.elb\.amazonaws\.com$/,
    );
  });
});

describe("Rollout behind the ALB", () => {
  it.each(["shop", "admin"])(
    "%s: the Deployment waits for the controller, whose webhook injects the readiness gate",
    (name) => {
      const deployment = one("kubernetes:apps/v1:Deployment", `${name}-deployment`);
      expect(deployment.options.dependencies).toContain(urn.controller);
    },
  );
});

describe("Destroy order", () => {
  it.each(["shop", "admin"])(
    "%s: the Ingress goes before the controller, the nodes, the classes and its Service",
    (name) => {
      const deps = ingress(name).options.dependencies;
      const scheme = name === "shop" ? "internet" : "internal";
      const svc = one("kubernetes:core/v1:Service", `${name}-service`);
      expect(deps).toEqual(
        expect.arrayContaining([
          urn.controller,
          urn.nodeGroup,
          ingressClass(scheme).urn,
          params(scheme).urn,
          svc.urn,
        ]),
      );
    },
  );

  it.each(["shop", "admin"])(
    "%s: the certificate, its validation record, the log bucket and the web ACL outlive the Ingress (its listeners)",
    (name) => {
      const waits = closure(ingress(name));
      for (const [type, n] of [
        ["aws:acm/certificateValidation:CertificateValidation", "front-door-certificate"],
        ["aws:acm/certificate:Certificate", "front-door-certificate"],
        ["aws:route53/record:Record", "front-door-certificate-validation"],
        ["aws:s3/bucketPolicy:BucketPolicy", "platform-test-alb-logs"],
        ["aws:s3/bucket:Bucket", "platform-test-alb-logs"],
        ["aws:wafv2/webAcl:WebAcl", "platform-test-alb"],
      ]) {
        expect([n, waits.has(one(type!, n!).urn)]).toEqual([n, true]);
      }
    },
  );
});

describe("FrontDoorRecords", () => {
  it.each([
    ["shop", `shop.${DOMAIN}`],
    ["admin", `console.${DOMAIN}`],
  ])(
    "%s: an A alias for %s to the ALB in its canonical zone, gone before the Ingress",
    (name, host) => {
      const record = one("aws:route53/record:Record", `front-door-dns-${host}`);
      expect(record.inputs).toMatchObject({
        zoneId: ZONE,
        name: host,
        type: "A",
        aliases: [
          {
            name: expect.stringMatching(/^k8s-.*\.us-east-1\.elb\.amazonaws\.com$/),
            zoneId: "Z35SXDOTRQ7X7K",
            evaluateTargetHealth: true,
          },
        ],
      });
      // The record reads the Ingress status: it is created after, and deleted before, the Ingress.
      expect(record.options.dependencies).toContain(ingress(name).urn);
    },
  );
});

describe("validateFrontDoorArgs", () => {
  const base = {
    namePrefix: "platform-test",
    provider: {} as never,
    schemes: ["internet" as const],
  };

  it("accepts a front door without a domain", async () => {
    const { validateFrontDoorArgs } = await import("../../components/platform");
    expect(validateFrontDoorArgs(base)).toEqual([]);
  });

  it("lists every problem with the field, the rule and the value", async () => {
    const { validateFrontDoorArgs } = await import("../../components/platform");
    expect(
      validateFrontDoorArgs({
        ...base,
        namePrefix: "x".repeat(60),
        domain: DOMAIN,
        accessLogRetentionDays: 0,
      }),
    ).toEqual([
      `domain and hostedZoneId must be set together; got {"domain":"${DOMAIN}"}`,
      `namePrefix makes the IngressGroup name "${"x".repeat(60)}-internet" invalid: at most 63 lower-case letters, digits, '-' and '.'`,
      "accessLogRetentionDays must be a whole number of days, at least 1; got 0",
    ]);
  });
});
