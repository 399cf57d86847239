import type { EksCluster } from "../../../components/eks";
import { RecordedResource, findResource, useMocks, valueOf } from "../../harness";
import { DEV, PROD, T, childrenOfCluster, plain } from "./fixtures";

// Three clusters in one runtime: dev, the same dev args again under another component name
// (what a second `pulumi up` of the same config sees), and prod under dev's cluster name and
// tags, so that everything derived from names is equal and only the settings can differ.
const PROD_AS_DEV = { ...PROD, clusterName: DEV.clusterName, tags: DEV.tags };

let resources: RecordedResource[];
let done: () => Promise<void>;

beforeAll(async () => {
  // prod lists admins without the deployer: Pulumi's warning about it goes to the console.
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
  ({ resources, done } = await useMocks({ stack: "dev" }));
  const { EksCluster } = await import("../../../components/eks");
  const built: EksCluster[] = [new EksCluster("dev", DEV)];
  // Let the clock move on, so a timestamp in the kubeconfig would show as a difference.
  await new Promise((resolve) => setTimeout(resolve, 25));
  built.push(new EksCluster("again", DEV), new EksCluster("prod", PROD_AS_DEV));
  await Promise.all(built.map((c) => valueOf(c.kubeconfig)));
  await new Promise((resolve) => setTimeout(resolve, 100));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await done();
});

/**
 * Leaf paths of a value mapped to the JSON of the leaf, with the owning component's name taken
 * out of strings: mock IDs and ARNs are built from resource names, which differ by design.
 */
function leaves(owner: string, value: unknown, path = ""): [string, string][] {
  const v = plain(value);
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(owner, x, `${path}[${i}]`));
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) => leaves(owner, x, path ? `${path}.${k}` : k));
  }
  const text = JSON.stringify(v) ?? "undefined";
  return [[path, text.replace(new RegExp(`(?<![\\w-])${owner}-`, "g"), "<component>-")]];
}

/** What differs between two components' children: `name: path` per differing input or option. */
function differences(a: string, b: string): string[] {
  const byName = (owner: string) =>
    new Map(
      childrenOfCluster(resources, owner).map((r) => [
        `${r.type.split(":").pop()!} ${r.name.slice(owner.length + 1)}`,
        r,
      ]),
    );
  const [left, right] = [byName(a), byName(b)];
  const found = new Set<string>();
  for (const name of new Set([...left.keys(), ...right.keys()])) {
    const [l, r] = [left.get(name), right.get(name)];
    if (!l || !r) {
      found.add(`${name}: ${l ? `only in ${a}` : `only in ${b}`}`);
      continue;
    }
    const [lv, rv] = [new Map(leaves(a, l.inputs)), new Map(leaves(b, r.inputs))];
    for (const path of new Set([...lv.keys(), ...rv.keys()])) {
      if (lv.get(path) !== rv.get(path)) found.add(`${name}: ${path.replace(/\[\d+\]/g, "[]")}`);
    }
    if (l.options.protect !== r.options.protect) found.add(`${name}: (protect)`);
    if (l.options.ignoreChanges.join() !== r.options.ignoreChanges.join()) {
      found.add(`${name}: (ignoreChanges)`);
    }
  }
  return [...found].sort();
}

// The mocks make a KMS key ID from the resource name (the key has no name input to use).
const MOCK_KEY_ID = "Alias secrets: targetKeyId";

describe("the dev and prod clusters", () => {
  it("differ only where their settings differ", () => {
    expect(differences("dev", "prod")).toEqual(
      [
        // deletionProtection, logTypes, publicAccessCidrs, subnetIds, protection
        "Cluster cluster: deletionProtection",
        "Cluster cluster: enabledClusterLogTypes[]",
        "Cluster cluster: vpcConfig.publicAccessCidrs[]",
        "Cluster cluster: vpcConfig.subnetIds[]",
        "Cluster cluster: (protect)",
        // logRetentionDays, protection
        "LogGroup control-plane: retentionInDays",
        "LogGroup control-plane: (protect)",
        // kmsDeletionWindowDays, protection
        "Key secrets: deletionWindowInDays",
        "Key secrets: (protect)",
        // nodeGroups.general, subnetIds, protection
        "NodeGroup general: capacityType",
        "NodeGroup general: instanceTypes[]",
        "NodeGroup general: scalingConfig.desiredSize",
        "NodeGroup general: scalingConfig.maxSize",
        "NodeGroup general: scalingConfig.minSize",
        "NodeGroup general: subnetIds[]",
        "NodeGroup general: (protect)",
        // admins and viewers: prod lists them, dev falls back to the deployer
        "AccessEntry admin-deployer: only in dev",
        "AccessPolicyAssociation admin-deployer: only in dev",
        "AccessEntry admin-123456789012-role-PlatformAdmin: only in prod",
        "AccessPolicyAssociation admin-123456789012-role-PlatformAdmin: only in prod",
        "AccessEntry viewer-123456789012-role-Developer: only in prod",
        "AccessPolicyAssociation viewer-123456789012-role-Developer: only in prod",
        MOCK_KEY_ID,
      ].sort(),
    );
  });

  it("are compared for real: the same settings under another name show no difference", () => {
    expect(differences("dev", "again")).toEqual([MOCK_KEY_ID]);
    expect(differences("dev", "prod").length).toBeGreaterThan(0);
  });
});

describe("the Kubernetes provider", () => {
  const provider = (owner: string) => findResource(resources, T.k8sProvider, `${owner}-k8s`);

  it("gets identical inputs from two runs of the same config", () => {
    const [first, second] = [provider("dev"), provider("again")];
    expect(Object.keys(first.inputs).sort()).toEqual([
      "clusterIdentifier",
      "enableServerSideApply",
      "kubeconfig",
    ]);
    expect(plain(second.inputs.kubeconfig)).toBe(plain(first.inputs.kubeconfig));
    expect(second.inputs).toEqual(first.inputs);
  });

  it("is identified by the cluster ARN, so a kubeconfig change updates it instead of replacing it", () => {
    expect(provider("dev").inputs.clusterIdentifier).toBe(
      "arn:aws:eks:us-east-1:123456789012:platform-dev",
    );
  });
});
