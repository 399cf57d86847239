import fc from "fast-check";
import {
  albSubnetCidrs,
  hostCovered,
  ingressGroupName,
  loadBalancerAttributes,
  schemesNeeded,
  serviceHost,
  usesAlb,
  usesNlb,
  validGroupName,
} from "../../lib/front-door";
import { ingressAnnotations, ingressSpec, serviceUrl } from "../../lib/ingress";
import { planSubnets } from "../../lib/subnets";

describe("which load balancer a service gets", () => {
  it.each([
    ["none", "http", false, false],
    ["none", "tcp", false, false],
    ["internal", "http", true, false],
    ["internet", "http", true, false],
    ["internal", "tcp", false, true],
    ["internet", "tcp", false, true],
  ])("expose %s over %s: ALB %s, NLB %s", (expose, protocol, alb, nlb) => {
    expect(usesAlb({ expose, protocol })).toBe(alb);
    expect(usesNlb({ expose, protocol })).toBe(nlb);
  });

  it("needs one ALB per scheme, however many HTTP services share it", () => {
    const many = Array.from({ length: 50 }, () => ({ expose: "internet", protocol: "http" }));
    expect(schemesNeeded(many)).toEqual(["internet"]);
    expect(
      schemesNeeded([
        { expose: "internal", protocol: "http" },
        { expose: "internet", protocol: "tcp" },
        { expose: "none", protocol: "http" },
      ]),
    ).toEqual(["internal"]);
    expect(schemesNeeded([])).toEqual([]);
  });
});

describe("hosts", () => {
  const svc = { expose: "internet", protocol: "http" };

  it("is <service>.<domain> unless overridden, and nothing without a domain", () => {
    expect(serviceHost("shop", { ...svc, host: "" }, "apps.example.com")).toBe(
      "shop.apps.example.com",
    );
    expect(
      serviceHost("shop", { ...svc, host: "store.apps.example.com" }, "apps.example.com"),
    ).toBe("store.apps.example.com");
    expect(serviceHost("shop", { ...svc, host: "" }, "")).toBeUndefined();
  });

  it.each([
    ["apps.example.com", true],
    ["shop.apps.example.com", true],
    ["a.b.apps.example.com", false],
    ["evilapps.example.com", false],
    ["example.com", false],
  ])("the certificate for apps.example.com and its wildcard covers %s: %s", (host, covered) => {
    expect(hostCovered(host, "apps.example.com")).toBe(covered);
  });

  it("covers every one-label host under any domain", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
        fc.stringMatching(/^[a-z][a-z0-9]{0,10}\.[a-z]{2,6}$/),
        (label, domain) => hostCovered(`${label}.${domain}`, domain),
      ),
    );
  });
});

describe("IngressGroups", () => {
  it("names one group per stack and scheme, valid for the controller", () => {
    expect(ingressGroupName("platform-prod", "internet")).toBe("platform-prod-internet");
    expect(validGroupName("platform-prod-internet")).toBe(true);
    expect(validGroupName("Platform_Prod")).toBe(false);
    expect(validGroupName("a".repeat(64))).toBe(false);
  });

  it("puts internet-facing ALBs in public subnets and internal ones in private subnets", () => {
    const plan = planSubnets({
      vpcCidr: "10.0.0.0/16",
      azCount: 2,
      publicPrefix: 24,
      privatePrefix: 19,
    });
    expect(albSubnetCidrs(plan, "internet")).toEqual(["10.0.255.0/24", "10.0.254.0/24"]);
    expect(albSubnetCidrs(plan, "internal")).toEqual(["10.0.0.0/19", "10.0.32.0/19"]);
  });
});

describe("ALB attributes", () => {
  it("always drops invalid header fields; logs and protection as asked", () => {
    expect(loadBalancerAttributes({ deletionProtection: false })).toEqual([
      { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
      { key: "deletion_protection.enabled", value: "false" },
      { key: "access_logs.s3.enabled", value: "false" },
    ]);
    expect(
      loadBalancerAttributes({
        deletionProtection: true,
        accessLogs: { bucket: "b", prefix: "alb" },
      }),
    ).toEqual([
      { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
      { key: "deletion_protection.enabled", value: "true" },
      { key: "access_logs.s3.enabled", value: "true" },
      { key: "access_logs.s3.bucket", value: "b" },
      { key: "access_logs.s3.prefix", value: "alb" },
    ]);
  });
});

describe("an Ingress without a domain (HTTP on the ALB's own hostname)", () => {
  const input = { name: "shop", port: 8080, className: "platform-dev-internet" };

  it("routes the path prefix /<service> to the service", () => {
    expect(ingressSpec(input)).toEqual({
      ingressClassName: "platform-dev-internet",
      rules: [
        {
          http: {
            paths: [
              {
                path: "/shop",
                pathType: "Prefix",
                backend: { service: { name: "shop", port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
    });
  });

  it("listens on HTTP 80 only and strips the prefix, so the app serves at /", () => {
    const annotations = ingressAnnotations(input);
    expect(annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTP": 80}]');
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBeUndefined();
    const [transform] = JSON.parse(annotations["alb.ingress.kubernetes.io/transforms.shop"]!);
    expect(transform.type).toBe("url-rewrite");
    const { regex, replace } = transform.urlRewriteConfig.rewrites[0];
    const rewrite = (path: string) => path.replace(new RegExp(regex), replace);
    expect([rewrite("/shop"), rewrite("/shop/"), rewrite("/shop/cart?x=1")]).toEqual([
      "/",
      "/",
      "/cart?x=1",
    ]);
  });

  it("keeps IP targets, the readiness health check and the preStop-matched deregistration", () => {
    expect(ingressAnnotations(input)).toMatchObject({
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
      "alb.ingress.kubernetes.io/target-group-attributes":
        "deregistration_delay.timeout_seconds=30",
    });
  });

  it("gives http://<alb>/<service>/ as the URL, and https://<host>/ with a domain", () => {
    expect(serviceUrl("shop", "k8s-x.us-east-1.elb.amazonaws.com")).toBe(
      "http://k8s-x.us-east-1.elb.amazonaws.com/shop/",
    );
    expect(serviceUrl("shop", "k8s-x", "shop.apps.example.com")).toBe(
      "https://shop.apps.example.com/",
    );
  });
});
