import { RecordedResource, findResource, useMocks, valueOf } from "../harness";

// The StateBackend component on its own, with only the required args: its defaults must be the
// safe ones, whoever constructs it (the bootstrap stack passes `protect` from its config).
let resources: RecordedResource[];
let done: () => Promise<void>;

beforeAll(async () => {
  ({ resources, done } = await useMocks({ region: "eu-west-1" }));
  const { StateBackend } = await import("../../bootstrap/components/state-backend");
  const backend = new StateBackend("defaults", { keyAlias: "alias/pulumi-state" });
  await Promise.all([valueOf(backend.bucketArn), valueOf(backend.keyArn)]);
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(() => done());

describe("StateBackend with its defaults", () => {
  it("protects the state bucket from deletion and keeps it from being emptied", () => {
    const bucket = findResource(resources, "aws:s3/bucket:Bucket", "defaults-state");
    expect(bucket.options.protect).toBe(true);
    expect(bucket.inputs.forceDestroy).toBe(false);
  });

  it("protects the secrets key and waits 30 days before destroying it", () => {
    const key = findResource(resources, "aws:kms/key:Key", "defaults-secrets");
    expect(key.options.protect).toBe(true);
    expect(key.inputs.deletionWindowInDays).toBe(30);
  });
});
