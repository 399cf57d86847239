import { restrictedViolations } from "../../policy/rules/pod-security";
import { podSpec } from "../../lib/workload";

// The spec every Service renders: the baseline each case below breaks in exactly one way.
const compliant = () =>
  JSON.parse(
    JSON.stringify(
      podSpec({
        name: "app",
        image: `r.example.com/app@sha256:${"0".repeat(64)}`,
        port: 8080,
        cpu: "100m",
        memory: "128Mi",
        env: {},
        serviceAccountName: "app",
        kubernetesApi: false,
      }),
    ),
  );
type Spec = ReturnType<typeof compliant>;
const C = "spec.containers[0] (app)";

describe("restrictedViolations", () => {
  it("accepts the pod spec the Service component renders", () => {
    expect(restrictedViolations(compliant())).toEqual([]);
  });

  it("accepts container fields left unset when the pod level sets them", () => {
    const spec = compliant();
    delete spec.containers[0].securityContext.runAsNonRoot;
    delete spec.containers[0].securityContext.seccompProfile;
    expect(restrictedViolations(spec)).toEqual([]);
  });

  it.each<[string, (s: Spec) => void, string]>([
    ["host network", (s) => (s.hostNetwork = true), "spec.hostNetwork must be unset or false"],
    ["host PID", (s) => (s.hostPID = true), "spec.hostPID must be unset or false"],
    ["host IPC", (s) => (s.hostIPC = true), "spec.hostIPC must be unset or false"],
    [
      "a privileged container",
      (s) => (s.containers[0].securityContext.privileged = true),
      `${C}: securityContext.privileged must be unset or false`,
    ],
    [
      "privilege escalation allowed",
      (s) => (s.containers[0].securityContext.allowPrivilegeEscalation = true),
      `${C}: securityContext.allowPrivilegeEscalation must be false`,
    ],
    [
      "privilege escalation left unset",
      (s) => delete s.containers[0].securityContext.allowPrivilegeEscalation,
      `${C}: securityContext.allowPrivilegeEscalation must be false`,
    ],
    [
      "a container that may run as root",
      (s) => (s.containers[0].securityContext.runAsNonRoot = false),
      `${C}: securityContext.runAsNonRoot must be true (here or at the pod level)`,
    ],
    [
      "runAsNonRoot set nowhere",
      (s) => {
        delete s.securityContext.runAsNonRoot;
        delete s.containers[0].securityContext.runAsNonRoot;
      },
      `${C}: securityContext.runAsNonRoot must be true (here or at the pod level)`,
    ],
    [
      "UID 0 in the container",
      (s) => (s.containers[0].securityContext.runAsUser = 0),
      `${C}: securityContext.runAsUser must not be 0 (root)`,
    ],
    [
      "UID 0 for the pod",
      (s) => (s.securityContext.runAsUser = 0),
      "spec.securityContext.runAsUser must not be 0 (root)",
    ],
    [
      "an unconfined seccomp profile",
      (s) => (s.containers[0].securityContext.seccompProfile = { type: "Unconfined" }),
      `${C}: securityContext.seccompProfile.type must be RuntimeDefault or Localhost (here or at the pod level)`,
    ],
    [
      "no seccomp profile anywhere",
      (s) => {
        delete s.securityContext.seccompProfile;
        delete s.containers[0].securityContext.seccompProfile;
      },
      `${C}: securityContext.seccompProfile.type must be RuntimeDefault or Localhost (here or at the pod level)`,
    ],
    [
      "capabilities not dropped",
      (s) => (s.containers[0].securityContext.capabilities = {}),
      `${C}: securityContext.capabilities.drop must include "ALL"`,
    ],
    [
      "an added capability beyond NET_BIND_SERVICE",
      (s) => (s.containers[0].securityContext.capabilities.add = ["NET_ADMIN"]),
      `${C}: securityContext.capabilities.add may only add NET_BIND_SERVICE; got NET_ADMIN`,
    ],
    [
      "an added capability that baseline allows but restricted does not",
      (s) => (s.containers[0].securityContext.capabilities.add = ["CHOWN"]),
      `${C}: securityContext.capabilities.add may only add NET_BIND_SERVICE; got CHOWN`,
    ],
    [
      "a hostPath volume",
      (s) => s.volumes.push({ name: "logs", hostPath: { path: "/var/log" } }),
      "spec.volumes[1] (logs) must not be a hostPath volume",
    ],
    [
      "a host port",
      (s) => (s.containers[0].ports[0].hostPort = 8080),
      `${C}: ports[0].hostPort must be unset or 0`,
    ],
    [
      "a probe aimed at another host",
      (s) => (s.containers[0].livenessProbe.httpGet.host = "169.254.169.254"),
      `${C}: livenessProbe.httpGet.host must be unset`,
    ],
    [
      "an unsafe sysctl",
      (s) => (s.securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]),
      "spec.securityContext.sysctls may only set safe sysctls; got kernel.msgmax",
    ],
    [
      "an unconfined AppArmor profile",
      (s) => (s.securityContext.appArmorProfile = { type: "Unconfined" }),
      "spec.securityContext.appArmorProfile.type must be RuntimeDefault or Localhost; got Unconfined",
    ],
    [
      "a custom SELinux user",
      (s) => (s.containers[0].securityContext.seLinuxOptions = { user: "system_u" }),
      `${C}: securityContext.seLinuxOptions.user must be unset`,
    ],
    [
      "an unmasked /proc",
      (s) => (s.containers[0].securityContext.procMount = "Unmasked"),
      `${C}: securityContext.procMount must be unset or Default`,
    ],
    [
      "a Windows host process",
      (s) => (s.securityContext.windowsOptions = { hostProcess: true }),
      "spec.securityContext.windowsOptions.hostProcess must be unset or false",
    ],
  ])("rejects %s", (_, breakIt, message) => {
    const spec = compliant();
    breakIt(spec);
    expect(restrictedViolations(spec)).toEqual([message]);
  });

  it.each(["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem", "net.ipv4.tcp_keepalive_time"])(
    "accepts the safe sysctl %s, as Pod Security Admission v1.32+ does",
    (name) => {
      const spec = compliant();
      spec.securityContext.sysctls = [{ name, value: "4096 87380 6291456" }];
      expect(restrictedViolations(spec)).toEqual([]);
    },
  );

  it("rejects an unconfined AppArmor profile set through the pod annotation", () => {
    const key = "container.apparmor.security.beta.kubernetes.io/app";
    expect(restrictedViolations(compliant(), { annotations: { [key]: "unconfined" } })).toEqual([
      `metadata.annotations["${key}"] must be runtime/default or localhost/<profile>; got unconfined`,
    ]);
  });

  it.each(["runtime/default", "localhost/k8s-app", ""])(
    "accepts the AppArmor annotation value %p and ignores other annotations",
    (profile) => {
      const metadata = {
        annotations: {
          "container.apparmor.security.beta.kubernetes.io/app": profile,
          "prometheus.io/scrape": "unconfined",
        },
      };
      expect(restrictedViolations(compliant(), metadata)).toEqual([]);
    },
  );

  it("checks init and ephemeral containers too", () => {
    const spec = compliant();
    spec.initContainers = [{ name: "migrate", image: "x", securityContext: {} }];
    expect(restrictedViolations(spec)).toEqual([
      "spec.initContainers[0] (migrate): securityContext.allowPrivilegeEscalation must be false",
      'spec.initContainers[0] (migrate): securityContext.capabilities.drop must include "ALL"',
    ]);
  });

  it("reports every violation, not just the first", () => {
    expect(
      restrictedViolations({
        hostNetwork: true,
        containers: [{ name: "c", securityContext: { privileged: true } }],
      }),
    ).toEqual([
      "spec.hostNetwork must be unset or false",
      "spec.containers[0] (c): securityContext.privileged must be unset or false",
      "spec.containers[0] (c): securityContext.allowPrivilegeEscalation must be false",
      "spec.containers[0] (c): securityContext.runAsNonRoot must be true (here or at the pod level)",
      "spec.containers[0] (c): securityContext.seccompProfile.type must be RuntimeDefault or Localhost (here or at the pod level)",
      'spec.containers[0] (c): securityContext.capabilities.drop must include "ALL"',
    ]);
  });
});
