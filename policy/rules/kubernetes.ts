import { restrictedViolations } from "./pod-security";
import { Enforcement, MANDATORY_IN_PRODUCTION, PolicySubject, Rule, Severity } from "./types";
import { field, namespaceOf, objects, ofType, refersTo } from "./util";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
const WORKLOADS = [DEPLOYMENT, STATEFUL_SET, DAEMON_SET] as const;
const REPLICATED = [DEPLOYMENT, STATEFUL_SET] as const;
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** The replicas a production workload keeps at least, so one can be drained at a time. */
export const PRODUCTION_MIN_REPLICAS = 2;
/** The zone label topology spread constraints must use. */
export const ZONE_KEY = "topology.kubernetes.io/zone";

const DIGEST = /@sha256:[a-f0-9]{64}$/;
const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/** A workload's pod spec, `{}` when absent. */
function podSpecOf(r: PolicySubject): Record<string, unknown> {
  return (field(r, "spec.template.spec") ?? {}) as Record<string, unknown>;
}

/** Every container of a pod, init containers included, with a label for messages. */
function containersOf(r: PolicySubject, withInit = true): Record<string, unknown>[] {
  const spec = podSpecOf(r);
  return [...objects(spec.containers), ...(withInit ? objects(spec.initContainers) : [])];
}

const nameOf = (c: Record<string, unknown>) => (typeof c.name === "string" ? c.name : "?");

/** The HPA scaling a workload: by `scaleTargetRef` kind and name, or by dependency. */
function autoscalerOf(w: PolicySubject, resources: readonly PolicySubject[]) {
  const kind = w.type.split(":")[2];
  const name = field(w, "metadata.name");
  return ofType(resources, HPA).find((h) => {
    if (namespaceOf(h) !== namespaceOf(w) || field(h, "spec.scaleTargetRef.kind") !== kind) {
      return false;
    }
    const target = field(h, "spec.scaleTargetRef.name");
    return (typeof name === "string" && target === name) || refersTo(h, w);
  });
}

/** The PDBs whose `matchLabels` select the workload's pods, in its namespace. */
function budgetsOf(w: PolicySubject, resources: readonly PolicySubject[]): PolicySubject[] {
  const labels = (field(w, "spec.template.metadata.labels") ?? {}) as Record<string, unknown>;
  return ofType(resources, PDB).filter((p) => {
    const match = field(p, "spec.selector.matchLabels") as Record<string, unknown> | undefined;
    return (
      namespaceOf(p) === namespaceOf(w) &&
      match !== undefined &&
      Object.keys(match).length > 0 &&
      Object.entries(match).every(([k, v]) => labels[k] === v)
    );
  });
}

/** Pods a PDB keeps for `replicas`: `minAvailable` as a count or a rounded-up percentage. */
function keptBy(pdb: PolicySubject, replicas: number): number | undefined {
  const min = field(pdb, "spec.minAvailable");
  if (typeof min === "number") return min;
  if (typeof min === "string" && min.endsWith("%")) {
    return Math.ceil((Number(min.slice(0, -1)) / 100) * replicas);
  }
  return undefined;
}

/** Rules for Kubernetes workloads and Helm releases. */
export const kubernetesRules: readonly Rule[] = [
  {
    id: "k8s-pod-security-restricted",
    description:
      "Pods meet the Pod Security Standard restricted: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, no host namespaces or host paths",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: WORKLOADS,
    scope: "resource",
    check(r) {
      // The template's metadata too: AppArmor profiles are still set by annotation.
      const problems = restrictedViolations(podSpecOf(r), field(r, "spec.template.metadata"));
      return problems.length === 0 ? undefined : problems.join("; ");
    },
  },
  {
    id: "k8s-read-only-root-filesystem",
    description:
      "Containers run with a read-only root filesystem. Sources disagree: PSS restricted does not ask for it, the CIS benchmark and NSA hardening guide do; we require it because our images are ours and write only to an emptyDir /tmp",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: WORKLOADS,
    scope: "resource",
    check(r) {
      const writable = containersOf(r).filter(
        (c) =>
          (c.securityContext as { readOnlyRootFilesystem?: unknown } | undefined)
            ?.readOnlyRootFilesystem !== true,
      );
      return writable.length === 0
        ? undefined
        : `container(s) ${writable.map(nameOf).join(", ")} do not set securityContext.readOnlyRootFilesystem`;
    },
  },
  {
    id: "k8s-probes",
    description: "Every container has a readiness and a liveness probe",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: WORKLOADS,
    scope: "resource",
    check(r) {
      const missing = containersOf(r, false).flatMap((c) =>
        (["readinessProbe", "livenessProbe"] as const)
          .filter((p) => c[p] === undefined)
          .map((p) => `${nameOf(c)} has no ${p}`),
      );
      return missing.length === 0 ? undefined : missing.join("; ");
    },
  },
  {
    id: "k8s-resources",
    description:
      "Every container requests CPU and memory and limits memory. Sources disagree on CPU limits: many policy sets require them, the EKS Best Practices Guide advises against them (CFS throttling adds latency on idle nodes); we require none, and a memory limit because memory is not compressible",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: WORKLOADS,
    scope: "resource",
    check(r) {
      const missing = containersOf(r).flatMap((c) => {
        const res = (c.resources ?? {}) as {
          requests?: Record<string, unknown>;
          limits?: Record<string, unknown>;
        };
        return [
          res.requests?.cpu === undefined ? "requests.cpu" : undefined,
          res.requests?.memory === undefined ? "requests.memory" : undefined,
          res.limits?.memory === undefined ? "limits.memory" : undefined,
        ]
          .filter((m): m is string => m !== undefined)
          .map((m) => `${nameOf(c)} has no resources.${m}`);
      });
      return missing.length === 0 ? undefined : missing.join("; ");
    },
  },
  {
    id: "k8s-image-digest",
    description: "Containers pull images by digest (@sha256:...), so what runs is what was scanned",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: WORKLOADS,
    scope: "resource",
    check(r) {
      const byTag = containersOf(r).filter(
        (c) => typeof c.image !== "string" || !DIGEST.test(c.image),
      );
      return byTag.length === 0
        ? undefined
        : byTag.map((c) => `${nameOf(c)} uses ${JSON.stringify(c.image)}, not a digest`).join("; ");
    },
  },
  {
    id: "k8s-topology-spread",
    description: `Replicated workloads spread their pods across zones (a topologySpreadConstraint on ${ZONE_KEY})`,
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: REPLICATED,
    scope: "resource",
    check(r) {
      const keys = objects(podSpecOf(r).topologySpreadConstraints).map((t) => t.topologyKey);
      return keys.includes(ZONE_KEY) ? undefined : `no topologySpreadConstraint on ${ZONE_KEY}`;
    },
  },
  {
    id: "k8s-min-replicas",
    description: `Replicated workloads keep at least ${PRODUCTION_MIN_REPLICAS} replicas (the HPA minimum, as the Deployment leaves replicas to it), so a drain or a crash is not an outage (mandatory in production; dev may run one)`,
    severity: Severity.Medium,
    enforcement: MANDATORY_IN_PRODUCTION,
    resourceTypes: REPLICATED,
    scope: "stack",
    check(r, { resources }) {
      const hpa = autoscalerOf(r, resources);
      const min = hpa ? field(hpa, "spec.minReplicas") : field(r, "spec.replicas");
      const count = typeof min === "number" ? min : 1;
      return count >= PRODUCTION_MIN_REPLICAS
        ? undefined
        : `${hpa ? "its HPA's minReplicas" : "spec.replicas"} is ${count}`;
    },
  },
  {
    id: "k8s-pdb-allows-disruption",
    description:
      "Every replicated workload has a PodDisruptionBudget that still allows an eviction, so node drains and upgrades proceed",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: REPLICATED,
    scope: "stack",
    check(r, { resources }) {
      const pdbs = budgetsOf(r, resources);
      if (pdbs.length === 0) return "no PodDisruptionBudget selects its pods";
      const blocking = pdbs.filter((p) => {
        const max = field(p, "spec.maxUnavailable");
        const min = field(p, "spec.minAvailable");
        return max === 0 || max === "0%" || min === "100%";
      });
      return blocking.length === 0
        ? undefined
        : `PodDisruptionBudget ${blocking.map((p) => p.name).join(", ")} allows no eviction`;
    },
  },
  {
    id: "k8s-hpa-above-pdb",
    description:
      "An autoscaler's minReplicas is at least its workload's PDB minAvailable plus one, so at the minimum a drain can still evict a pod",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [HPA],
    scope: "stack",
    check(r, { resources }) {
      const min = field(r, "spec.minReplicas");
      const replicas = typeof min === "number" ? min : 1;
      const targets = ofType(resources, DEPLOYMENT).filter((w) => autoscalerOf(w, resources) === r);
      const tight = targets
        .flatMap((w) => budgetsOf(w, resources))
        .filter((p) => {
          const kept = keptBy(p, replicas);
          return kept !== undefined && replicas < kept + 1;
        });
      return tight.length === 0
        ? undefined
        : `minReplicas ${replicas} is below minAvailable + 1 of ${tight.map((p) => `${p.name} (${String(field(p, "spec.minAvailable"))})`).join(", ")}`;
    },
  },
  {
    id: "helm-release-pinned",
    description: "Helm releases pin an exact chart version, so a preview shows every chart upgrade",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [HELM_RELEASE],
    scope: "resource",
    check(r) {
      const v = field(r, "version");
      return typeof v === "string" && EXACT_VERSION.test(v)
        ? undefined
        : `version is ${JSON.stringify(v ?? "unset (latest)")}; pin an exact chart version`;
    },
  },
];
