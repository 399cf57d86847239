/**
 * The Pod Security Standards "restricted" profile (which includes "baseline"), as the
 * Kubernetes documentation lists its controls for the latest version (v1.35), written as a pure
 * function over a pod spec. Pod Security Admission enforces the same rules in the cluster; this
 * lets tests and the policy pack fail a preview before the API server rejects the pods.
 * Source: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));
const at = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((o, k) => obj(o)?.[k], v);

/** Capabilities "baseline" lets a container add. */
export const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
] as const;
/** The only capability "restricted" lets a container add. */
export const RESTRICTED_CAPABILITIES = ["NET_BIND_SERVICE"] as const;
/** Volume types "restricted" allows. */
export const RESTRICTED_VOLUME_TYPES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
] as const;
/** Sysctls "baseline" considers safe. */
export const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  // Added to the baseline list in v1.32.
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
] as const;
const SELINUX_TYPES = [
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
];
const SECCOMP_OK = ["RuntimeDefault", "Localhost"];
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";
const HANDLERS = ["livenessProbe", "readinessProbe", "startupProbe"];

/**
 * Every way a pod spec breaks the "restricted" Pod Security Standard, one message each, naming
 * the field; empty when it complies. Checks containers, init containers and ephemeral ones, and,
 * given the pod (template) metadata, the AppArmor annotations Pod Security Admission still reads.
 */
export function restrictedViolations(podSpec: unknown, podMetadata?: unknown): string[] {
  const out: string[] = [];
  const spec = obj(podSpec) ?? {};
  const podSc = obj(spec.securityContext) ?? {};

  for (const [key, value] of Object.entries(obj(at(podMetadata, "annotations")) ?? {})) {
    const profile = text(value);
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      !(profile === "" || profile === "runtime/default" || profile.startsWith("localhost/"))
    ) {
      out.push(
        `metadata.annotations["${key}"] must be runtime/default or localhost/<profile>; got ${profile}`,
      );
    }
  }

  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (spec[field] === true) out.push(`spec.${field} must be unset or false`);
  }
  if (at(podSc, "windowsOptions", "hostProcess") === true) {
    out.push("spec.securityContext.windowsOptions.hostProcess must be unset or false");
  }
  checkSeLinux(out, "spec.securityContext", podSc);
  checkAppArmor(out, "spec.securityContext", podSc);
  if (podSc.runAsUser === 0) out.push("spec.securityContext.runAsUser must not be 0 (root)");
  const podSeccomp = at(podSc, "seccompProfile", "type");
  if (podSeccomp !== undefined && !SECCOMP_OK.includes(text(podSeccomp))) {
    out.push(
      `spec.securityContext.seccompProfile.type must be RuntimeDefault or Localhost; got ${text(podSeccomp)}`,
    );
  }
  for (const sysctl of list(podSc.sysctls)) {
    const name = String(at(sysctl, "name"));
    if (!(SAFE_SYSCTLS as readonly string[]).includes(name)) {
      out.push(`spec.securityContext.sysctls may only set safe sysctls; got ${name}`);
    }
  }
  list(spec.volumes).forEach((v, i) => {
    const kinds = Object.keys(obj(v) ?? {}).filter((k) => k !== "name");
    for (const kind of kinds) {
      if (!(RESTRICTED_VOLUME_TYPES as readonly string[]).includes(kind)) {
        out.push(`spec.volumes[${i}] (${String(at(v, "name"))}) must not be a ${kind} volume`);
      }
    }
  });

  for (const group of ["containers", "initContainers", "ephemeralContainers"]) {
    list(spec[group]).forEach((c, i) => {
      checkContainer(out, `spec.${group}[${i}] (${String(at(c, "name"))})`, obj(c) ?? {}, podSc);
    });
  }
  return out;
}

function checkContainer(out: string[], where: string, c: Obj, podSc: Obj): void {
  const sc = obj(c.securityContext) ?? {};
  const bad = (field: string, rule: string) =>
    out.push(`${where}: securityContext.${field} ${rule}`);

  if (sc.privileged === true) bad("privileged", "must be unset or false");
  if (at(sc, "windowsOptions", "hostProcess") === true)
    bad("windowsOptions.hostProcess", "must be unset or false");
  if (sc.procMount !== undefined && sc.procMount !== "Default")
    bad("procMount", "must be unset or Default");
  checkSeLinux(out, `${where}: securityContext`, sc);
  checkAppArmor(out, `${where}: securityContext`, sc);
  if (sc.allowPrivilegeEscalation !== false) bad("allowPrivilegeEscalation", "must be false");
  if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true)) {
    bad("runAsNonRoot", "must be true (here or at the pod level)");
  }
  if (sc.runAsUser === 0) bad("runAsUser", "must not be 0 (root)");
  const seccomp = at(sc, "seccompProfile", "type");
  const effective = seccomp ?? at(podSc, "seccompProfile", "type");
  if (!SECCOMP_OK.includes(String(effective))) {
    bad("seccompProfile.type", "must be RuntimeDefault or Localhost (here or at the pod level)");
  }
  const drop = list(at(sc, "capabilities", "drop")).map(String);
  if (!drop.includes("ALL")) bad("capabilities.drop", 'must include "ALL"');
  for (const cap of list(at(sc, "capabilities", "add")).map(String)) {
    if (!(RESTRICTED_CAPABILITIES as readonly string[]).includes(cap)) {
      bad("capabilities.add", `may only add NET_BIND_SERVICE; got ${cap}`);
    }
  }
  list(c.ports).forEach((p, i) => {
    const hostPort = at(p, "hostPort");
    if (hostPort !== undefined && hostPort !== 0)
      out.push(`${where}: ports[${i}].hostPort must be unset or 0`);
  });
  const handlers = [
    ...HANDLERS.map((h) => [h, c[h]] as const),
    ["lifecycle.postStart", at(c, "lifecycle", "postStart")] as const,
    ["lifecycle.preStop", at(c, "lifecycle", "preStop")] as const,
  ];
  for (const [field, handler] of handlers) {
    for (const action of ["httpGet", "tcpSocket"]) {
      const host = at(handler, action, "host");
      if (host !== undefined && host !== "")
        out.push(`${where}: ${field}.${action}.host must be unset`);
    }
  }
}

function checkSeLinux(out: string[], where: string, sc: Obj): void {
  const se = obj(sc.seLinuxOptions);
  if (!se) return;
  if (se.type !== undefined && !SELINUX_TYPES.includes(text(se.type))) {
    out.push(`${where}.seLinuxOptions.type must be a container type; got ${text(se.type)}`);
  }
  for (const field of ["user", "role"]) {
    if (se[field] !== undefined && se[field] !== "")
      out.push(`${where}.seLinuxOptions.${field} must be unset`);
  }
}

function checkAppArmor(out: string[], where: string, sc: Obj): void {
  const type = at(sc, "appArmorProfile", "type");
  if (type !== undefined && type !== "RuntimeDefault" && type !== "Localhost") {
    out.push(
      `${where}.appArmorProfile.type must be RuntimeDefault or Localhost; got ${text(type)}`,
    );
  }
}
