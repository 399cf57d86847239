/**
 * `npm run plan` end to end, in process: each run gets its own module registry, because the
 * Pulumi runtime keeps global state. Programs are small fixtures, so the exit codes do not
 * depend on how far index.ts has been composed.
 */
type Io = { stdout: string; stderr: string };

async function plan(argv: string[], program?: () => unknown): Promise<Io & { code: number }> {
  const io: Io = { stdout: "", stderr: "" };
  let code = -1;
  await jest.isolateModulesAsync(async () => {
    const { main } = await import("../../tools/plan");
    code = await main(argv, {
      stdout: (t) => (io.stdout += t),
      stderr: (t) => (io.stderr += t),
      program,
    });
  });
  return { ...io, code };
}

/** A program registering one ECR repository, compliant or not, and its lifecycle policy. */
const registry = (mutability: "IMMUTABLE" | "MUTABLE") => () => async () => {
  // Loaded inside the run, from the same module registry as the runner.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const aws = require("@pulumi/aws") as typeof import("@pulumi/aws");
  const repo = new aws.ecr.Repository("repo", {
    name: "platform-dev/app",
    imageTagMutability: mutability,
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfigurations: [{ encryptionType: "KMS" }],
  });
  new aws.ecr.LifecyclePolicy("repo", { repository: repo.name, policy: "{}" });
  new aws.kms.Key("key", { enableKeyRotation: true });
  return {};
};

describe("npm run plan", () => {
  it("exits 2 with the usage on a bad argument", async () => {
    const run = await plan(["--stack", "dev", "--format", "yaml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format must be one of table, json, markdown; got "yaml"');
    expect(run.stderr).toContain("usage: npm run plan");
  });

  it("exits 2 on invalid config, printing the config module's message and no stack trace", async () => {
    const run = await plan(["--stack", "dev", "--set", "azCount=0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Invalid config for stack "dev" (1 problem):\n  - platform:azCount: must be an integer from 2 to 6; got 0\n',
    );
    expect(run.stdout).toBe("");
  });

  it("exits 2 for a stack with no stack file, whose region is then missing", async () => {
    const run = await plan(["--stack", "nosuch"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("aws:region: is required");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("exits 0 and prints valid JSON with inventory, findings and cost when every mandatory rule passes", async () => {
    const run = await plan(["--stack", "dev", "--format", "json"], registry("IMMUTABLE"));
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      inventory: { counts: Record<string, number> };
      findings: { ruleId: string; enforcement: string }[];
      cost: { total: number; lineItems: { resource: { name: string } }[] };
    };
    expect(json.inventory.counts["aws:ecr/repository:Repository"]).toBe(1);
    // dev is not production: an unprotected repository is advisory there.
    expect(json.findings.map((f) => [f.ruleId, f.enforcement])).toEqual([
      ["stateful-resources-protected", "advisory"],
      ["stateful-resources-protected", "advisory"],
    ]);
    expect(json.cost.total).toBe(1);
  });

  it("exits 1 when a mandatory rule fails, naming it", async () => {
    const run = await plan(["--stack", "dev"], registry("MUTABLE"));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("2. Policy findings: 1 mandatory, 2 advisory");
    expect(run.stdout).toContain(
      "[mandatory] ecr-immutable-tags: repo (aws:ecr/repository:Repository)",
    );
  });

  it("prints Markdown with a Mermaid diagram", async () => {
    const run = await plan(["--stack", "dev", "--format", "markdown"], registry("IMMUTABLE"));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^## Plan: stack `dev`/);
    expect(run.stdout).toContain("```mermaid\nflowchart LR");
    expect(run.stdout).toContain('ecr_repo[("ECR platform-dev/app")]');
  });
});

describe("npm run plan --services N", () => {
  it("keeps the stack's own services and their calls, then adds copies of the first", async () => {
    const { serviceOverrides } = await import("../../tools/plan");
    const { readStackConfig } = await import("../../tools/runner");
    const { parseConfig } = await import("../../config/load");
    const raw = readStackConfig("dev");
    const config = parseConfig(raw.config, { project: raw.project, stack: "dev" });
    const services = serviceOverrides(config, 4).services as Record<string, { calls: string[] }>;
    expect(Object.keys(services)).toEqual(["app", "backend", "app-3", "app-4"]);
    expect(services["app-4"]!.calls).toEqual(["backend"]);
    const one = serviceOverrides(config, 1).services as Record<string, { calls: string[] }>;
    expect(one).toEqual({ app: expect.objectContaining({ calls: [] }) });
  });
});
