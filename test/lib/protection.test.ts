import { STATEFUL_TYPES, statefulOptions } from "../../lib/protection";

describe("statefulOptions, the one place `protect` is decided", () => {
  it.each([true, false])("sets protect to %s as the stack's protection says", (protect) => {
    expect(statefulOptions({ protect }, {}).protect).toBe(protect);
  });

  it("keeps the caller's other options (parent, dependsOn, ignoreChanges)", () => {
    const opts = { ignoreChanges: ["tags"], deleteBeforeReplace: false };
    expect(statefulOptions({ protect: true }, opts)).toEqual({ ...opts, protect: true });
  });

  it("overrides a protect flag the caller passed, so config always wins", () => {
    expect(statefulOptions({ protect: false }, { protect: true }).protect).toBe(false);
  });

  it("covers the registry, the cluster and its nodes, keys, logs, the VPC, its subnets, secrets and the access-log bucket", () => {
    expect([...STATEFUL_TYPES].sort()).toEqual([
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/vpc:Vpc",
      "aws:ecr/repository:Repository",
      "aws:eks/cluster:Cluster",
      "aws:eks/nodeGroup:NodeGroup",
      "aws:kms/key:Key",
      "aws:s3/bucket:Bucket",
      "aws:secretsmanager/secret:Secret",
    ]);
  });
});
