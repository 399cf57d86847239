import { z } from "zod";
import { hostCovered, serviceHost, usesAlb } from "../lib/front-door";
import { ConfigProblem, showValue } from "./errors";
import { bool, int, onObject, optionalText } from "./fields";
import { DNS_NAME, DNS_NAME_RULE, HOSTED_ZONE_ID } from "./patterns";
import type { ProjectSettings } from "./schema";
import { Exposure, Protocol } from "./sets";

/** The longest host name a Route 53 record and an ACM certificate name take. */
export const MAX_HOST_LENGTH = 253;

/** The front door's settings when a stack sets none: HTTP on the ALB's own hostname. */
export const FRONT_DOOR_DEFAULTS = {
  domain: "",
  hostedZoneId: "",
  deletionProtection: false,
  accessLogs: false,
  accessLogRetentionDays: 90,
  waf: false,
  requestsPerSecond: 10,
} as const;

/**
 * `frontDoor`: the shared ALB of the stack's HTTP services. With `domain` (and the Route 53
 * zone holding it) every service gets `https://<service>.<domain>` with an ACM certificate;
 * without, the ALB serves HTTP on its own hostname and routes by path.
 */
export const frontDoorSchema = z
  .strictObject(
    {
      domain: optionalText(DNS_NAME, `must be empty or ${DNS_NAME_RULE}`).default(
        FRONT_DOOR_DEFAULTS.domain,
      ),
      hostedZoneId: optionalText(
        HOSTED_ZONE_ID,
        "must be empty or a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
      ).default(FRONT_DOOR_DEFAULTS.hostedZoneId),
      deletionProtection: bool().default(FRONT_DOOR_DEFAULTS.deletionProtection),
      accessLogs: bool().default(FRONT_DOOR_DEFAULTS.accessLogs),
      accessLogRetentionDays: int(1, 3650).default(FRONT_DOOR_DEFAULTS.accessLogRetentionDays),
      waf: bool().default(FRONT_DOOR_DEFAULTS.waf),
      // Only for the cost estimate: the LCU charge follows the request rate.
      requestsPerSecond: int(0, 1_000_000).default(FRONT_DOOR_DEFAULTS.requestsPerSecond),
    },
    { error: "must be an object of front door settings" },
  )
  .superRefine((fd, ctx) => {
    const { domain, hostedZoneId: zone } = fd as Record<string, unknown>;
    if (typeof domain !== "string" || typeof zone !== "string") return;
    if (domain !== "" && zone === "") {
      ctx.addIssue({
        code: "custom",
        path: ["hostedZoneId"],
        message: "must name the Route 53 hosted zone of frontDoor.domain when a domain is set",
      });
    }
    if (domain === "" && zone !== "") {
      ctx.addIssue({
        code: "custom",
        path: ["domain"],
        message: "must be set when frontDoor.hostedZoneId is: the zone is only used for the domain",
      });
    }
  }, onObject);

/** The validated front door settings. */
export type FrontDoorSettings = z.output<typeof frontDoorSchema>;

/**
 * Rules between the front door and the services: hosts need a domain, must sit under it (the
 * certificate covers the domain and one label below) and must not repeat; a host only means
 * something for an exposed HTTP service.
 */
export function frontDoorProblems(
  s: Partial<ProjectSettings>,
  key: (path: string) => string,
): ConfigProblem[] {
  if (s.services === undefined || s.frontDoor === undefined) return [];
  const problems: ConfigProblem[] = [];
  const add = (path: string, rule: string, value: unknown) =>
    problems.push({ key: key(path), rule, value: showValue(value) });
  const domain = s.frontDoor.domain;
  const seen = new Map<string, string>();
  for (const [name, svc] of Object.entries(s.services)) {
    if (svc.host !== "") {
      if (svc.expose === Exposure.None || svc.protocol !== Protocol.Http) {
        add(
          `services.${name}.host`,
          "must be empty unless the service is exposed over HTTP (expose internal or internet, protocol http)",
          svc.host,
        );
      } else if (domain === "") {
        add(
          `services.${name}.host`,
          "must be empty when frontDoor.domain is not set: without a domain the service is reached by path on the ALB's hostname",
          svc.host,
        );
      } else if (!hostCovered(svc.host, domain)) {
        add(
          `services.${name}.host`,
          `must be ${domain} or one label under it (the certificate covers ${domain} and *.${domain})`,
          svc.host,
        );
      }
    }
    const host = usesAlb(svc) ? serviceHost(name, svc, domain) : undefined;
    if (host === undefined) continue;
    if (host.length > MAX_HOST_LENGTH) {
      add(
        `services.${name}`,
        `makes the host "${host}" longer than ${MAX_HOST_LENGTH} characters`,
        name,
      );
    }
    const other = seen.get(host);
    if (other !== undefined) {
      add(`services.${name}.host`, `must not repeat the host of services.${other} (${host})`, host);
    }
    seen.set(host, name);
  }
  return problems;
}

/**
 * What `production: true` asks of the front door: HTTPS for every internet-facing HTTP
 * service, an ALB that cannot be deleted by accident, and access logs kept.
 */
export function frontDoorProductionProblems(
  s: Partial<ProjectSettings>,
  key: (path: string) => string,
): ConfigProblem[] {
  if (s.frontDoor === undefined) return [];
  const problems: ConfigProblem[] = [];
  const fd = s.frontDoor;
  const public_ = Object.entries(s.services ?? {})
    .filter(([, svc]) => usesAlb(svc) && svc.expose === Exposure.Internet)
    .map(([name]) => name);
  if (fd.domain === "" && public_.length > 0) {
    problems.push({
      key: key("frontDoor.domain"),
      rule: `must be set in a production stack: ${public_.join(", ")} ${public_.length === 1 ? "is" : "are"} exposed to the internet over HTTP and need HTTPS`,
      value: showValue(fd.domain),
    });
  }
  for (const k of ["deletionProtection", "accessLogs"] as const) {
    if (!fd[k]) {
      problems.push({
        key: key(`frontDoor.${k}`),
        rule: "must be true in a production stack",
        value: showValue(fd[k]),
      });
    }
  }
  return problems;
}
