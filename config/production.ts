import { ALL_IPV4_ADDRESSES, Cidr, addressesCovered, parseCidr } from "../lib/cidr";
import { ClusterSource } from "./cluster-source";
import { ConfigProblem, showValue } from "./errors";
import { frontDoorProductionProblems } from "./front-door";
import { NatStrategy, ProjectSettings } from "./schema";

/** The minimum number of AZs a production stack spans. */
export const PRODUCTION_MIN_AZS = 3;
/** The minimum replicas of a production service, so one pod can be drained at a time. */
export const PRODUCTION_MIN_REPLICAS = 2;
/** The KMS key deletion window of a production stack, AWS's maximum. */
export const PRODUCTION_KMS_WINDOW_DAYS = 30;
/**
 * The most addresses a production stack's public API endpoint may admit: a /8's worth. An office
 * or VPN range is a /16 or smaller; more is the internet in slices (`0.0.0.0/1` + `128.0.0.0/1`).
 */
export const PRODUCTION_MAX_PUBLIC_ADDRESSES = 2 ** 24;

/**
 * What `production: true` requires: high availability and protection from deletion. Each rule
 * runs when the keys it reads passed their own checks.
 */
export function productionProblems(
  s: Partial<ProjectSettings>,
  key: (path: string) => string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const need = (ok: boolean, path: string, rule: string, value: unknown) => {
    if (!ok) {
      problems.push({
        key: key(path),
        rule,
        value: showValue(value),
      });
    }
  };
  const check = <K extends keyof ProjectSettings>(
    k: K,
    ok: (v: ProjectSettings[K]) => boolean,
    rule: string,
  ) => {
    const v = s[k];
    if (v !== undefined) need(ok(v), k, rule, v);
  };

  check(
    "azCount",
    (v) => v >= PRODUCTION_MIN_AZS,
    `must be at least ${PRODUCTION_MIN_AZS} in a production stack`,
  );
  check(
    "natStrategy",
    (v) => v === NatStrategy.PerAz,
    "must be perAz in a production stack, so losing an AZ does not cut the others off",
  );
  check(
    "clusterSource",
    (v) => v === ClusterSource.Eks,
    "must be eks in a production stack: a cluster from a kubeconfig is for development",
  );
  check("eksCluster", (v) => v, "must be true in a production stack");
  check("kubernetesWorkloads", (v) => v, "must be true in a production stack");
  check("deletionProtection", (v) => v, "must be true in a production stack");
  check("protectResources", (v) => v, "must be true in a production stack");
  check(
    "ecrForceDelete",
    (v) => !v,
    "must be false in a production stack, so a destroy cannot delete images",
  );
  check(
    "kmsDeletionWindowDays",
    (v) => v === PRODUCTION_KMS_WINDOW_DAYS,
    `must be ${PRODUCTION_KMS_WINDOW_DAYS} in a production stack`,
  );

  if (s.publicAccessCidrs !== undefined) {
    const blocks = s.publicAccessCidrs.map((c) => parseCidr(c) as Cidr);
    blocks.forEach((b, i) => {
      need(
        b.prefix > 0,
        `publicAccessCidrs[${i}]`,
        "must not open the API endpoint to the whole internet in a production stack",
        s.publicAccessCidrs![i],
      );
    });
    const covered = addressesCovered(blocks);
    if (blocks.every((b) => b.prefix > 0)) {
      need(
        covered < ALL_IPV4_ADDRESSES,
        "publicAccessCidrs",
        "must not open the API endpoint to the whole internet in a production stack, even in slices",
        s.publicAccessCidrs,
      );
      need(
        covered === ALL_IPV4_ADDRESSES || covered <= BigInt(PRODUCTION_MAX_PUBLIC_ADDRESSES),
        "publicAccessCidrs",
        `must admit at most ${PRODUCTION_MAX_PUBLIC_ADDRESSES} addresses (a /8's worth) to the API endpoint in a production stack; these admit ${covered}`,
        s.publicAccessCidrs,
      );
    }
  }

  if (s.access !== undefined) {
    const a = s.access;
    need(
      a.admins.length > 0 || a.ciDeployRole !== "",
      "access",
      "must name the cluster admins (admins, or ciDeployRole) in a production stack: with none, admin goes to whoever runs the update, and a run under another identity would replace it",
      a,
    );
  }

  for (const [name, svc] of Object.entries(s.services ?? {})) {
    need(
      svc.minReplicas >= PRODUCTION_MIN_REPLICAS,
      `services.${name}.minReplicas`,
      `must be at least ${PRODUCTION_MIN_REPLICAS} in a production stack, so a node can drain while another pod serves`,
      svc.minReplicas,
    );
  }
  problems.push(...frontDoorProductionProblems(s, key));
  return problems;
}
