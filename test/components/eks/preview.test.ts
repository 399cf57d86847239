import { RecordedResource, findResource, ofType, useMocks } from "../../harness";
import { DEV, T, childrenOfCluster } from "./fixtures";

// A first `pulumi preview`: the cluster's endpoint, CA, issuer and security group are unknown.
let resources: RecordedResource[];
let done: () => Promise<void>;

beforeAll(async () => {
  ({ resources, done } = await useMocks({ stack: "dev", preview: true }));
  const { EksCluster } = await import("../../../components/eks");
  new EksCluster("dev", DEV);
  await new Promise((resolve) => setTimeout(resolve, 200));
});
afterAll(() => done());

describe("EksCluster in a first preview", () => {
  it("registers the same resources as a deployment, with no failed apply", () => {
    const kids = childrenOfCluster(resources, "dev");
    expect(kids).toHaveLength(26);
    expect(ofType(kids, T.nodeGroup)).toHaveLength(1);
  });

  it("still registers the Kubernetes provider and the StorageClass through it", () => {
    const provider = findResource(resources, T.k8sProvider, "dev-k8s");
    expect(findResource(resources, T.storageClass, "dev-gp3").provider).toContain(provider.urn);
  });
});
