import { baseTags, withName } from "../../lib/tags";

const ctx = { project: "platform", stack: "dev" };

describe("baseTags", () => {
  it("tags every resource with its project, stack and manager", () => {
    expect(baseTags(ctx)).toEqual({
      "pulumi:project": "platform",
      "pulumi:stack": "dev",
      "managed-by": "pulumi",
    });
  });

  it("adds the stack's own tags from config", () => {
    expect(baseTags({ ...ctx, extra: { team: "payments", "cost-center": "1234" } })).toEqual({
      team: "payments",
      "cost-center": "1234",
      "pulumi:project": "platform",
      "pulumi:stack": "dev",
      "managed-by": "pulumi",
    });
  });

  it("lets no stack tag override the tags cost reports and policies rely on", () => {
    const extra = { "pulumi:project": "other", "pulumi:stack": "prod", "managed-by": "hand" };
    expect(baseTags({ ...ctx, extra })).toEqual(baseTags(ctx));
  });
});

describe("withName", () => {
  it("adds the Name the EC2 console shows, keeping the other tags", () => {
    expect(withName({ team: "payments" }, "platform-dev-igw")).toEqual({
      team: "payments",
      Name: "platform-dev-igw",
    });
  });
});
