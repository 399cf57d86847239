import { identityChanges, identitySnapshot } from "../../tools/snapshot";
import type { RecordedResource } from "../../tools/mocks";

const resource = (
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
): RecordedResource => ({
  type,
  name,
  urn: `urn:pulumi:dev::platform::${type}::${name}`,
  parent: "",
  inputs,
  custom: true,
  remote: false,
  provider: "",
  options: {
    protect: false,
    dependencies: [],
    ignoreChanges: [],
    retainOnDelete: false,
    deletedWith: "",
    deleteTimeout: "",
    aliases: 0,
  },
});

const subnet = (cidr: string) =>
  resource("aws:ec2/subnet:Subnet", "vpc-private-0", {
    cidrBlock: cidr,
    availabilityZone: "us-east-1a",
  });
const cluster = (cidr: string) =>
  resource("aws:eks/cluster:Cluster", "eks", {
    name: "platform-dev",
    kubernetesNetworkConfig: { serviceIpv4Cidr: cidr },
  });

describe("the identity snapshot", () => {
  it("records URNs sorted and the replacement-forcing inputs of the types that have them", () => {
    const snap = identitySnapshot([subnet("10.0.0.0/19"), resource("aws:iam/role:Role", "a-role")]);
    expect(snap.urns).toEqual([...snap.urns].sort());
    expect(Object.values(snap.replacementInputs)).toEqual([
      { cidrBlock: "10.0.0.0/19", availabilityZone: "us-east-1a" },
    ]);
  });

  it("reports nothing when nothing changed", () => {
    const snap = identitySnapshot([subnet("10.0.0.0/19")]);
    expect(identityChanges(snap, snap)).toEqual([]);
  });

  it("says a vanished URN is a delete and points to aliases", () => {
    const before = identitySnapshot([
      subnet("10.0.0.0/19"),
      resource("aws:iam/role:Role", "old-name"),
    ]);
    const after = identitySnapshot([
      subnet("10.0.0.0/19"),
      resource("aws:iam/role:Role", "new-name"),
    ]);
    const changes = identityChanges(before, after);
    expect(changes).toHaveLength(2);
    expect(changes[0]).toContain("URN gone (pulumi up would DELETE it");
    expect(changes[0]).toContain("add `aliases`");
    expect(changes[1]).toContain("new URN (a create)");
  });

  it.each([
    ["a subnet CIDR", [subnet("10.0.0.0/19")], [subnet("10.0.32.0/19")], "cidrBlock"],
    [
      "the cluster's service CIDR",
      [cluster("172.20.0.0/16")],
      [cluster("10.100.0.0/16")],
      "kubernetesNetworkConfig.serviceIpv4Cidr",
    ],
  ])("flags a change of %s as a replacement", (_what, before, after, key) => {
    const changes = identityChanges(identitySnapshot(before), identitySnapshot(after));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toContain(`${key} changed from`);
    expect(changes[0]).toContain("AWS REPLACES the resource");
  });
});
