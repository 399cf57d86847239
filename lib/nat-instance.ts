/**
 * The NAT instance of the `instance` NAT strategy: a pure description, so tests read it
 * without mocks. One small Graviton instance; AL2023 from the SSM public parameter, resolved by
 * EC2 at each launch (`resolve:ssm:` image ids are supported in launch templates: EC2 Auto
 * Scaling user guide, "Use AWS Systems Manager parameters instead of AMI IDs in launch
 * templates"), so a replacement instance boots a patched image while the template never
 * changes. The parameter path is the one place that pin lives.
 */
export const NAT_INSTANCE = {
  /** $0.0042 an hour in us-east-1: plenty for a dev stack's pulls and API calls. */
  instanceType: "t4g.nano",
  /** The AL2023 arm64 image, as the public SSM parameter names it. */
  amiParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
  /** The AL2023 AMIs' root device and its size in GiB (the AMI's own snapshot size). */
  rootDevice: "/dev/xvda",
  rootVolumeGiB: 8,
} as const;

/**
 * The instance's boot script: IP forwarding, and masquerading of everything leaving by the
 * default-route interface, as the VPC user guide's "Create a NAT AMI" does on AL2023
 * (iptables-services, `ip_forward=1`, a POSTROUTING MASQUERADE rule, FORWARD flushed). The
 * interface is looked up, not assumed (`ens5` on Nitro, but the guide warns it may differ).
 */
export function natInstanceUserData(): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "dnf install -y iptables-services",
    "systemctl enable --now iptables",
    "echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat-instance.conf",
    "sysctl -p /etc/sysctl.d/90-nat-instance.conf",
    "iface=$(ip route show default | awk '{print $5; exit}')",
    'iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE',
    "iptables -F FORWARD",
    "service iptables save",
    "",
  ].join("\n");
}
