import { Case, devService, expectRejected, parseStack, prodService } from "./support";

// The front door's config keys (issue 15): frontDoor and each service's protocol and host.
// Every case starts from a real stack file and must be rejected before any resource exists.

const DOMAIN = "apps.example.com";
const ZONE = "Z0123456789ABCDEFGHIJ";
const PROD_FRONT_DOOR = {
  domain: DOMAIN,
  hostedZoneId: "Z0000000000EXAMPLE",
  deletionProtection: true,
  accessLogs: true,
  accessLogRetentionDays: 365,
  waf: true,
  requestsPerSecond: 50,
};
const withDomain = (extra: Record<string, unknown> = {}) => ({
  frontDoor: { domain: DOMAIN, hostedZoneId: ZONE, ...extra },
});

const hostile: Case[] = [
  {
    name: "a list for frontDoor",
    base: "dev",
    change: { frontDoor: [] },
    expect: "platform:frontDoor: must be an object of front door settings; got []",
  },
  {
    name: "an unknown front door key (a typo)",
    base: "dev",
    change: { frontDoor: { domian: DOMAIN } },
    expect:
      'platform:frontDoor.domian: is not a known key; did you mean "domain"?; got "apps.example.com"',
  },
  {
    name: "a URL for the domain",
    base: "dev",
    change: withDomain({ domain: "https://apps.example.com" }),
    expect: { key: "platform:frontDoor.domain", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "a wildcard domain",
    base: "dev",
    change: withDomain({ domain: "*.example.com" }),
    expect: { key: "platform:frontDoor.domain", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "an upper-case domain",
    base: "dev",
    change: withDomain({ domain: "Apps.Example.com" }),
    expect: { key: "platform:frontDoor.domain", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "a single-label domain",
    base: "dev",
    change: withDomain({ domain: "localhost" }),
    expect: { key: "platform:frontDoor.domain", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "a domain with a trailing dot",
    base: "dev",
    change: withDomain({ domain: "apps.example.com." }),
    expect: { key: "platform:frontDoor.domain", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "a domain longer than 253 characters",
    base: "dev",
    change: withDomain({ domain: `${"a".repeat(60)}.`.repeat(4) + "example.com" }),
    expect: { key: "platform:frontDoor.domain", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "a domain with a unicode look-alike",
    base: "dev",
    change: withDomain({ domain: "аpps.example.com" }),
    expect: { key: "platform:frontDoor.domain", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "a zone ARN for the hosted zone id",
    base: "dev",
    change: withDomain({ hostedZoneId: `arn:aws:route53:::hostedzone/${ZONE}` }),
    expect: {
      key: "platform:frontDoor.hostedZoneId",
      rule: "must be empty or a Route 53 hosted zone id",
    },
  },
  {
    name: "a domain without its zone",
    base: "dev",
    change: { frontDoor: { domain: DOMAIN } },
    expect:
      "platform:frontDoor.hostedZoneId: must name the Route 53 hosted zone of frontDoor.domain when a domain is set; got nothing",
  },
  {
    name: "a zone without a domain",
    base: "dev",
    change: { frontDoor: { hostedZoneId: ZONE } },
    expect:
      "platform:frontDoor.domain: must be set when frontDoor.hostedZoneId is: the zone is only used for the domain; got nothing",
  },
  {
    name: "a string for deletion protection",
    base: "dev",
    change: { frontDoor: { deletionProtection: "yes" } },
    expect: 'platform:frontDoor.deletionProtection: must be true or false; got "yes"',
  },
  {
    name: "zero days of access logs",
    base: "dev",
    change: { frontDoor: { accessLogRetentionDays: 0 } },
    expect: "platform:frontDoor.accessLogRetentionDays: must be an integer from 1 to 3650; got 0",
  },
  {
    name: "a negative request rate",
    base: "dev",
    change: { frontDoor: { requestsPerSecond: -1 } },
    expect: "platform:frontDoor.requestsPerSecond: must be an integer from 0 to 1000000; got -1",
  },
  {
    name: "an unknown protocol",
    base: "dev",
    change: devService({ protocol: "grpc" }),
    expect: 'platform:services.app.protocol: must be one of http, tcp; got "grpc"',
  },
  {
    name: "an upper-case protocol",
    base: "dev",
    change: devService({ protocol: "HTTP" }),
    expect: 'platform:services.app.protocol: must be one of http, tcp; got "HTTP"',
  },
  {
    name: "a host without a domain",
    base: "dev",
    change: devService({ host: `shop.${DOMAIN}` }),
    expect:
      'platform:services.app.host: must be empty when frontDoor.domain is not set: without a domain the service is reached by path on the ALB\'s hostname; got "shop.apps.example.com"',
  },
  {
    name: "a URL for a host",
    base: "dev",
    change: { ...withDomain(), ...devService({ host: `https://shop.${DOMAIN}/` }) },
    expect: { key: "platform:services.app.host", rule: "must be empty or a lower-case DNS name" },
  },
  {
    name: "a host outside the domain",
    base: "dev",
    change: { ...withDomain(), ...devService({ host: "shop.example.org" }) },
    expect: `platform:services.app.host: must be ${DOMAIN} or one label under it (the certificate covers ${DOMAIN} and *.${DOMAIN}); got "shop.example.org"`,
  },
  {
    name: "a host two labels under the domain (the wildcard covers one)",
    base: "dev",
    change: { ...withDomain(), ...devService({ host: `a.b.${DOMAIN}` }) },
    expect: { key: "platform:services.app.host", rule: `must be ${DOMAIN} or one label under it` },
  },
  {
    name: "a host that only ends with the domain's text",
    base: "dev",
    change: { ...withDomain(), ...devService({ host: `evilapps.example.com` }) },
    expect: { key: "platform:services.app.host", rule: `must be ${DOMAIN} or one label under it` },
  },
  {
    name: "a host on a TCP service",
    base: "dev",
    change: { ...withDomain(), ...devService({ protocol: "tcp", host: `db.${DOMAIN}` }) },
    expect: {
      key: "platform:services.app.host",
      rule: "must be empty unless the service is exposed over HTTP",
    },
  },
  {
    name: "a host on a service that is not exposed",
    base: "dev",
    change: { ...withDomain(), ...devService({ expose: "none", host: `app.${DOMAIN}` }) },
    expect: {
      key: "platform:services.app.host",
      rule: "must be empty unless the service is exposed over HTTP",
    },
  },
  {
    name: "two services on one host (an override taking another's default)",
    base: "dev",
    change: {
      ...withDomain(),
      services: {
        app: { expose: "internet" },
        web: { expose: "internet", port: 8081, host: `app.${DOMAIN}` },
      },
    },
    expect: `platform:services.web.host: must not repeat the host of services.app (app.${DOMAIN}); got "app.${DOMAIN}"`,
  },
  {
    name: "a production stack serving the internet over plain HTTP",
    base: "prod",
    change: { frontDoor: { ...PROD_FRONT_DOOR, domain: "", hostedZoneId: "" } },
    expect:
      'platform:frontDoor.domain: must be set in a production stack: app is exposed to the internet over HTTP and need HTTPS; got ""',
  },
  {
    name: "a production ALB without deletion protection",
    base: "prod",
    change: { frontDoor: { ...PROD_FRONT_DOOR, deletionProtection: false } },
    expect: "platform:frontDoor.deletionProtection: must be true in a production stack; got false",
  },
  {
    name: "a production ALB without access logs",
    base: "prod",
    change: { frontDoor: { ...PROD_FRONT_DOOR, accessLogs: false } },
    expect: "platform:frontDoor.accessLogs: must be true in a production stack; got false",
  },
];

describe("front door config", () => {
  it.each(hostile)("rejects $name", expectRejected);

  it("defaults to HTTP on the ALB's hostname, nothing extra on, and http services", () => {
    const config = parseStack("dev");
    expect(config.frontDoor).toEqual({
      domain: "",
      hostedZoneId: "",
      deletionProtection: false,
      accessLogs: false,
      accessLogRetentionDays: 90,
      waf: false,
      requestsPerSecond: 10,
    });
    expect(config.services.app).toMatchObject({ expose: "internet", protocol: "http", host: "" });
  });

  it("ships prod with a domain, deletion protection, access logs and WAF", () => {
    expect(parseStack("prod").frontDoor).toEqual(PROD_FRONT_DOOR);
  });

  it("accepts a host override under the domain, the domain itself, and TCP services without one", () => {
    const config = parseStack("dev", {
      ...withDomain(),
      services: {
        app: { expose: "internet", host: DOMAIN },
        shop: { expose: "internet", port: 8081, host: `store.${DOMAIN}` },
        db: { expose: "internal", protocol: "tcp", port: 5432 + 1000 },
      },
    });
    expect(Object.keys(config.services)).toEqual(["app", "shop", "db"]);
  });

  it("lets an internal-only production stack run without a domain", () => {
    const config = parseStack("prod", {
      frontDoor: { ...PROD_FRONT_DOOR, domain: "", hostedZoneId: "" },
      ...prodService({ expose: "internal" }),
    });
    expect(config.frontDoor.domain).toBe("");
  });

  it("lets a production TCP service use an NLB without a domain", () => {
    const config = parseStack("prod", {
      frontDoor: { ...PROD_FRONT_DOOR, domain: "", hostedZoneId: "" },
      ...prodService({ protocol: "tcp" }),
    });
    expect(config.services.app?.protocol).toBe("tcp");
  });
});
