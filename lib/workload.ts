import type { types } from "@pulumi/kubernetes";
import { SECRETS_MOUNT_PATH, SECRETS_STORE_DRIVER, SECRETS_VOLUME } from "./service-secrets";

/**
 * The pod a service runs as, built as plain objects so the component, the policy rules and the
 * tests read the same spec. Every choice follows the Pod Security Standard "restricted" and the
 * EKS Best Practices Guide; the reasons are next to the values.
 */

/** The UID and GID containers run as: non-root, above the 10000 that host users stop at. */
export const WORKLOAD_UID = 10001;
/** The container port's name, used by the Service, probes, NetworkPolicy and ServiceMonitor. */
export const PORT_NAME = "http";
/** Probe paths the app serves: ready for traffic, and alive. */
export const PROBE_PATHS = { readiness: "/readyz", liveness: "/healthz" } as const;
/**
 * Seconds a terminating pod keeps serving before SIGTERM: the endpoint removal has to reach the
 * AWS Load Balancer Controller and the NLB has to stop sending new connections to the target.
 */
export const PRESTOP_SLEEP_SECONDS = 30;
/** Seconds the app is given after SIGTERM to finish in-flight requests. */
export const APP_DRAIN_SECONDS = 15;
/** The kubelet kills the pod after this: the pause, the drain, and 5 seconds of margin. */
export const TERMINATION_GRACE_SECONDS = PRESTOP_SLEEP_SECONDS + APP_DRAIN_SECONDS + 5;
/** Size cap of the writable `/tmp`, so a runaway writer cannot fill the node's disk. */
export const TMP_SIZE_LIMIT = "64Mi";

/** The Pod Security Standard every service namespace enforces. */
export const POD_SECURITY_LEVEL = "restricted";
/** The PSS version the namespace labels pin unless told otherwise. */
export const DEFAULT_POD_SECURITY_VERSION = "latest";

/**
 * The labels of a service's namespace: Pod Security Admission enforces, audits and warns at
 * "restricted" (pinned to `podSecurityVersion`). Behind an NLB, the AWS Load Balancer
 * Controller injects readiness gates: a new pod counts as ready only once the NLB reports its
 * target healthy, so a rollout never removes old targets before new ones take traffic.
 */
export function namespaceLabels(
  podSecurityVersion: string,
  loadBalanced: boolean,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = POD_SECURITY_LEVEL;
    labels[`pod-security.kubernetes.io/${mode}-version`] = podSecurityVersion;
  }
  if (loadBalanced) labels["elbv2.k8s.aws/pod-readiness-gate-inject"] = "enabled";
  return labels;
}

/** What the pod of one service needs. */
export interface WorkloadInput {
  readonly name: string;
  readonly image: string | types.input.core.v1.Container["image"];
  readonly port: number;
  readonly cpu: string;
  readonly memory: string;
  readonly env: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
  /** Mount the service account token: only for services that call the Kubernetes API. */
  readonly kubernetesApi: boolean;
  /** Environment entries the platform adds after `env` (callee URLs, secrets). @default [] */
  readonly extraEnv?: readonly types.input.core.v1.EnvVar[];
  /** The SecretProviderClass mounted read-only at /secrets; undefined: no secrets. */
  readonly secretProviderClass?: string;
}

/** The labels selecting a service's pods; kept minimal because selectors are immutable. */
export function selectorLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name };
}

/** Pod-level security context: non-root with a fixed high UID/GID and the runtime's seccomp. */
export function podSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: WORKLOAD_UID,
    runAsGroup: WORKLOAD_UID,
    fsGroup: WORKLOAD_UID,
    seccompProfile: { type: "RuntimeDefault" },
  } satisfies types.input.core.v1.PodSecurityContext;
}

/**
 * Container-level security context. PSS "restricted" checks some fields on each container, so
 * they are repeated here even where the pod level already sets them.
 */
export function containerSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: WORKLOAD_UID,
    runAsGroup: WORKLOAD_UID,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  } satisfies types.input.core.v1.SecurityContext;
}

/**
 * Probes on the named port. The startup probe gives a slow start 60 s before liveness counts;
 * readiness takes a pod out of the Service (and the NLB) without restarting it; liveness
 * restarts only a pod that stopped answering for 30 s.
 */
export function probes() {
  const get = (path: string) => ({ path, port: PORT_NAME, scheme: "HTTP" });
  return {
    startupProbe: {
      httpGet: get(PROBE_PATHS.liveness),
      periodSeconds: 2,
      failureThreshold: 30,
      timeoutSeconds: 1,
    },
    readinessProbe: {
      httpGet: get(PROBE_PATHS.readiness),
      periodSeconds: 5,
      failureThreshold: 2,
      timeoutSeconds: 2,
    },
    livenessProbe: {
      httpGet: get(PROBE_PATHS.liveness),
      periodSeconds: 10,
      failureThreshold: 3,
      timeoutSeconds: 2,
    },
  } satisfies Pick<
    types.input.core.v1.Container,
    "startupProbe" | "readinessProbe" | "livenessProbe"
  >;
}

/**
 * Requests for both resources, a memory limit equal to the request and no CPU limit. The EKS
 * Best Practices Guide advises this: memory is not compressible, so a limit above the request
 * lets the node overcommit and OOM-kill neighbours; CPU is compressible, and a CPU limit makes
 * the kernel's CFS quota throttle the container in 100 ms periods even when the node has idle
 * CPU, which shows up as tail latency. The CPU request still reserves the share the scheduler
 * and the HPA (utilisation = usage / request) count on.
 */
export function resources(cpu: string, memory: string) {
  return {
    requests: { cpu, memory },
    limits: { memory },
  } satisfies types.input.core.v1.ResourceRequirements;
}

/** The environment: `PORT` from the port setting, then the configured variables by name. */
export function environment(port: number, env: Readonly<Record<string, string>>) {
  return [
    { name: "PORT", value: String(port) },
    ...Object.keys(env)
      .sort()
      .map((name) => ({ name, value: env[name] ?? "" })),
  ];
}

/** The service's one container. */
export function containerSpec(input: WorkloadInput) {
  return {
    name: input.name,
    image: input.image,
    imagePullPolicy: "IfNotPresent",
    ports: [{ name: PORT_NAME, containerPort: input.port, protocol: "TCP" }],
    env: [...environment(input.port, input.env), ...(input.extraEnv ?? [])],
    resources: resources(input.cpu, input.memory),
    securityContext: containerSecurityContext(),
    ...probes(),
    // Native sleep action (GA in Kubernetes 1.34): distroless images have no `sleep` binary.
    lifecycle: { preStop: { sleep: { seconds: PRESTOP_SLEEP_SECONDS } } },
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      ...(input.secretProviderClass === undefined
        ? []
        : [{ name: SECRETS_VOLUME, mountPath: SECRETS_MOUNT_PATH, readOnly: true }]),
    ],
  } satisfies types.input.core.v1.Container;
}

/**
 * Spread over zones first, then nodes. `ScheduleAnyway` keeps spreading a preference, so a
 * full zone delays balance rather than leaving pods pending (there is no node autoscaler);
 * `matchLabelKeys` spreads each rollout's ReplicaSet on its own.
 */
export function topologySpread(name: string) {
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: selectorLabels(name) },
    matchLabelKeys: ["pod-template-hash"],
  })) satisfies types.input.core.v1.TopologySpreadConstraint[];
}

/** The pod spec of a service's Deployment. */
export function podSpec(input: WorkloadInput) {
  return {
    serviceAccountName: input.serviceAccountName,
    automountServiceAccountToken: input.kubernetesApi,
    // Service links inject every Service of the namespace as env vars; nothing here reads them.
    enableServiceLinks: false,
    securityContext: podSecurityContext(),
    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
    topologySpreadConstraints: topologySpread(input.name),
    containers: [containerSpec(input)],
    volumes: [
      { name: "tmp", emptyDir: { sizeLimit: TMP_SIZE_LIMIT } },
      // A `csi` volume is allowed by PSS "restricted"; the driver doing the mount runs in
      // kube-system. Read-only, so the app cannot overwrite what the driver refreshes.
      ...(input.secretProviderClass === undefined
        ? []
        : [
            {
              name: SECRETS_VOLUME,
              csi: {
                driver: SECRETS_STORE_DRIVER,
                readOnly: true,
                volumeAttributes: { secretProviderClass: input.secretProviderClass },
              },
            },
          ]),
    ],
  } satisfies types.input.core.v1.PodSpec;
}

/** Rolling updates add one pod before removing one, so capacity never drops below desired. */
export function rollingUpdateStrategy() {
  return {
    type: "RollingUpdate",
    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
  } satisfies types.input.apps.v1.DeploymentStrategy;
}

/**
 * The PodDisruptionBudget's `minAvailable` for an HPA minimum: one below it, so a drain may
 * always evict one pod (never blocked) while the others keep serving. With one replica this is
 * 0: the budget then protects nothing, which is the honest answer for a single pod.
 */
export function pdbMinAvailable(minReplicas: number): number {
  if (!Number.isInteger(minReplicas) || minReplicas < 1) {
    throw new Error(`minReplicas must be a whole number of at least 1; got ${minReplicas}`);
  }
  return minReplicas - 1;
}

/** Scale-down waits this long at the lower load before removing pods, to avoid flapping. */
export const SCALE_DOWN_STABILIZATION_SECONDS = 300;

/** The HorizontalPodAutoscaler spec: CPU utilisation against the request, damped scale-down. */
export function autoscalerSpec(
  name: string,
  minReplicas: number,
  maxReplicas: number,
  targetCpuPercent: number,
) {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
    minReplicas,
    maxReplicas,
    metrics: [
      {
        type: "Resource",
        resource: {
          name: "cpu",
          target: { type: "Utilization", averageUtilization: targetCpuPercent },
        },
      },
    ],
    behavior: {
      scaleDown: {
        stabilizationWindowSeconds: SCALE_DOWN_STABILIZATION_SECONDS,
        policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
      },
    },
  } satisfies types.input.autoscaling.v2.HorizontalPodAutoscalerSpec;
}
