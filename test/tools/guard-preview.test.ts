import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { STATEFUL_TYPES } from "../../lib/protection";
import {
  ALLOW_ENV,
  DESTRUCTIVE_OPS,
  guardPreview,
  parseArgs,
  parsePreview,
  runGuard,
  stepType,
} from "../../tools/guard-preview";

const FIXTURES = path.join(__dirname, "fixtures");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8");
const SUBNET_URN =
  "urn:pulumi:prod::platform::platform:network:Vpc$aws:ec2/subnet:Subnet::platform-prod-private-a";

/** Runs the CLI core against a fixture with captured output. */
function run(argv: string[], env: Record<string, string> = {}, stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const code = runGuard(argv, {
    env,
    readFile: (file) =>
      fs.readFileSync(path.isAbsolute(file) ? file : path.join(FIXTURES, file), "utf8"),
    readStdin: () => stdin,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("the preview guard on Pulumi's preview --json format", () => {
  it.each([
    ["creates-only", "creating resources"],
    ["updates", "updating a cluster and a log group in place"],
    ["unknown-types", "replacing or deleting resources that hold no state"],
  ])("passes %s (%s)", (name) => {
    const result = guardPreview(parsePreview(fixture(name)));
    expect(result).toEqual({ ok: true, blocked: [], allowed: [] });
    expect(run([`${name}.json`]).code).toBe(0);
  });

  it("blocks a subnet replacement and names the property that forces it", () => {
    const result = guardPreview(parsePreview(fixture("replace-subnet")));
    expect(result.blocked).toEqual([
      { urn: SUBNET_URN, type: "aws:ec2/subnet:Subnet", ops: ["replace"], reasons: ["cidrBlock"] },
    ]);
    const { code, err } = run(["replace-subnet.json"]);
    expect(code).toBe(1);
    expect(err).toContain("replace aws:ec2/subnet:Subnet");
    expect(err).toContain(SUBNET_URN);
    expect(err).toContain("replacement forced by: cidrBlock");
  });

  it("blocks deleting the ECR repository and says why a delete happens", () => {
    const { code, err } = run(["delete-ecr.json"]);
    expect(code).toBe(1);
    expect(err).toContain("delete aws:ecr/repository:Repository");
    expect(err).toContain("the program no longer declares it");
  });

  it("reports a cluster replacement shown as replacement steps once, with every op", () => {
    const result = guardPreview(parsePreview(fixture("cluster-replacement-steps")));
    expect(result.ok).toBe(false);
    expect(result.blocked).toHaveLength(1);
    expect(result.blocked[0]).toMatchObject({
      type: "aws:eks/cluster:Cluster",
      ops: ["create-replacement", "replace", "delete-replaced"],
      reasons: ["vpcConfig", "vpcConfig.subnetIds[0]"],
    });
  });

  it.each([
    ["by URN on the command line", [`--allow=${SUBNET_URN}`], {}],
    ["by type on the command line", ["--allow", "aws:ec2/subnet:Subnet"], {}],
    ["by URN in the environment", [], { [ALLOW_ENV]: `other-urn,\n${SUBNET_URN}` }],
  ])("lets an allowed replacement through (%s)", (_how, flags, env) => {
    const { code, out } = run(["replace-subnet.json", ...flags], env);
    expect(code).toBe(0);
    expect(out).toContain("allowed by");
    expect(out).toContain(SUBNET_URN);
  });

  it("still blocks what the allow list does not name", () => {
    expect(run(["delete-ecr.json", "--allow", "aws:ec2/subnet:Subnet"]).code).toBe(1);
  });

  it("reads the preview from stdin when no file is given", () => {
    expect(run([], {}, fixture("replace-subnet")).code).toBe(1);
    expect(run(["-"], {}, fixture("updates")).code).toBe(0);
  });

  it("treats a preview without steps (nothing changes) as a pass", () => {
    expect(run([], {}, JSON.stringify({ changeSummary: { same: 43 } })).code).toBe(0);
  });

  it.each([
    ["truncated JSON", fixture("updates").slice(0, 120), "the preview is not valid JSON"],
    ["an empty input", "", "the preview is empty"],
    ["a JSON array", "[]", "the preview must be a JSON object with a steps array"],
    ["steps that are not an array", fixture("not-a-preview"), "steps must be an array"],
    ["a step without an op", '{"steps":[{"urn":"u"}]}', "steps[0].op must be a non-empty string"],
  ])("exits 2 with a clear message on %s", (_what, text, message) => {
    const { code, err } = run([], {}, text);
    expect(code).toBe(2);
    expect(err).toContain(`preview guard: ${message}`);
  });

  it("exits 2 on a missing file or an unknown option", () => {
    expect(run(["no-such-file.json"]).code).toBe(2);
    expect(run(["--allw", "x"]).err).toContain("unknown option --allw");
    expect(() => parseArgs(["--allow"])).toThrow("--allow needs a URN or a resource type");
  });
});

describe("what the guard treats as stateful and destructive", () => {
  it("uses the one STATEFUL_TYPES list, including node groups", () => {
    expect(STATEFUL_TYPES).toContain("aws:eks/nodeGroup:NodeGroup");
    for (const type of STATEFUL_TYPES) {
      const step = { op: "delete", urn: `urn:pulumi:dev::platform::${type}::x` };
      expect(guardPreview({ steps: [step] }).blocked).toHaveLength(1);
    }
  });

  it.each(["same", "create", "update", "read", "refresh"])("ignores %s steps", (op) => {
    expect(DESTRUCTIVE_OPS).not.toContain(op);
    const step = { op, urn: SUBNET_URN };
    expect(guardPreview({ steps: [step] }).ok).toBe(true);
  });

  it("takes the type from the state, else from the last type in the URN", () => {
    expect(stepType({ op: "delete", urn: SUBNET_URN })).toBe("aws:ec2/subnet:Subnet");
    expect(stepType({ op: "delete", urn: "x", oldState: { type: "aws:kms/key:Key" } })).toBe(
      "aws:kms/key:Key",
    );
  });
});

describe("the guard CLI", () => {
  it("exits 1 on a blocked change when run as a program", () => {
    const cli = path.join(__dirname, "../../tools/guard-preview.ts");
    let status = 0;
    try {
      execFileSync(
        process.execPath,
        [
          require.resolve("ts-node/dist/bin"),
          "--transpile-only",
          cli,
          path.join(FIXTURES, "delete-ecr.json"),
        ],
        { stdio: "pipe" },
      );
    } catch (err) {
      status = (err as { status: number }).status;
    }
    expect(status).toBe(1);
  });
});
