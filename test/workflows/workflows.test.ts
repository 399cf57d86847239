import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  Workflow,
  WorkflowJob,
  WorkflowStep,
  actionReferences,
  checkWorkflow,
  isPinned,
  longLivedAwsKeys,
  oidcProblems,
  parseWorkflowYaml,
  permissionProblems,
  pinsWithoutVersionComment,
  unpinnedActions,
} from "../../tools/workflow-rules";

const ROOT = path.join(__dirname, "../..");
const WORKFLOW_DIR = path.join(ROOT, ".github/workflows");
const FIXTURE_DIR = path.join(__dirname, "fixtures");
const WORKFLOWS = ["pull-request.yml", "pr-comment.yml", "deploy.yml", "drift.yml"];
const FIXTURES = ["invalid-schema.yml", "invalid-jobs.yml", "insecure.yml"];

const text = (file: string) => fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
const workflow = (file: string) => parseWorkflowYaml(text(file));
const fixture = (file: string) => fs.readFileSync(path.join(FIXTURE_DIR, file), "utf8");
const stepsUsing = (job: WorkflowJob, action: string): WorkflowStep[] =>
  (job.steps ?? []).filter((s) => s.uses?.startsWith(`${action}@`));
const job = (wf: Workflow, id: string): WorkflowJob => {
  const found = wf.jobs[id];
  if (!found) throw new Error(`no job ${id}; jobs: ${Object.keys(wf.jobs).join(", ")}`);
  return found;
};

/** GitHub's parser's verdict per file, from one run of tools/validate-workflows.mjs. */
let schemaErrors: Record<string, string[]>;
beforeAll(() => {
  const files = [
    ...WORKFLOWS.map((f) => path.join(WORKFLOW_DIR, f)),
    ...FIXTURES.map((f) => path.join(FIXTURE_DIR, f)),
  ];
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, "tools/validate-workflows.mjs"), "--json", ...files],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`validate-workflows exited ${run.status}: ${run.stderr}`);
  }
  const results = JSON.parse(run.stdout) as { file: string; errors: string[] }[];
  schemaErrors = Object.fromEntries(results.map((r) => [path.basename(r.file), r.errors]));
});

describe("the workflow files against GitHub's workflow schema", () => {
  it("are exactly the pull request, comment, deploy and drift workflows", () => {
    const onDisk = fs.readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f));
    expect(onDisk.sort()).toEqual([...WORKFLOWS].sort());
  });

  it.each(WORKFLOWS)("%s is a valid workflow", (file) => {
    expect(schemaErrors[file]).toEqual([]);
  });

  it("rejects a workflow that breaks the schema, naming line and rule", () => {
    const errors = schemaErrors["invalid-schema.yml"];
    expect(errors).toEqual([
      "invalid-schema.yml (Line: 9, Col: 13): Unexpected value 'reed'",
      "invalid-schema.yml (Line: 12, Col: 5): Required property is missing: runs-on",
      "invalid-schema.yml (Line: 16, Col: 5): Unexpected value 'step'",
      "invalid-schema.yml (Line: 21, Col: 17): Unrecognized named-value: 'env'",
      "invalid-schema.yml (Line: 23, Col: 14): Unexpected end of expression: '=='",
    ]);
  });

  it("rejects a bad cron and a dependency on a job that does not exist", () => {
    expect(schemaErrors["invalid-jobs.yml"]).toEqual([
      expect.stringContaining("Invalid cron expression"),
      "invalid-jobs.yml (Line: 14, Col: 12): Job 'deploy' depends on unknown job 'build'.",
    ]);
  });
});

describe("supply chain and credentials in every workflow", () => {
  it.each(WORKFLOWS)("%s pins every action to a full SHA with its version", (file) => {
    const refs = actionReferences(workflow(file));
    expect(refs.length).toBeGreaterThan(0);
    expect(unpinnedActions(workflow(file))).toEqual([]);
    expect(pinsWithoutVersionComment(text(file))).toEqual([]);
  });

  it.each(WORKFLOWS)("%s reaches AWS only through OIDC, with least privilege", (file) => {
    expect(checkWorkflow(text(file))).toEqual([]);
    expect(text(file)).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  });

  it.each(WORKFLOWS)("%s reads no secret but the Pulumi Cloud token", (file) => {
    const secrets = [...text(file).matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
    expect(new Set(secrets)).toEqual(new Set(secrets.length ? ["PULUMI_ACCESS_TOKEN"] : []));
  });

  it.each(WORKFLOWS)("%s never runs on pull_request_target", (file) => {
    expect(Object.keys(workflow(file).on as object)).not.toContain("pull_request_target");
  });

  it.each([
    ["actions/checkout@v4", true],
    ["actions/checkout@v4.2.1", true],
    ["actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", true],
    ["./.github/actions/local", true],
    ["actions/checkout@main", false],
    ["actions/checkout@master", false],
    ["actions/checkout@3d3c42e", false],
    ["actions/checkout", false],
    ["docker://alpine:latest", false],
    [`docker://alpine@sha256:${"a".repeat(64)}`, true],
  ])("treats %s as pinned: %s", (uses, pinned) => {
    expect(isPinned(uses)).toBe(pinned);
  });

  it("rejects the insecure fixture on every rule", () => {
    const wf = parseWorkflowYaml(fixture("insecure.yml"));
    expect(unpinnedActions(wf)).toEqual([
      "long-lived-keys, step 1: actions/checkout@main is not pinned to a version tag or a full commit SHA",
      "oidc-without-token, step 1: pulumi/actions@master is not pinned to a version tag or a full commit SHA",
      "oidc-without-token, step 3: some-org/some-action@1a2b3c is not pinned to a version tag or a full commit SHA",
      "oidc-without-token, step 4: docker://alpine:latest is not pinned to a version tag or a full commit SHA",
    ]);
    expect(longLivedAwsKeys(wf)).toEqual([
      "long-lived-keys: sets AWS_SECRET_ACCESS_KEY; use OIDC (role-to-assume) instead",
      "long-lived-keys, step 2: passes aws-access-key-id; use OIDC (role-to-assume) instead",
      "long-lived-keys, step 2: passes aws-secret-access-key; use OIDC (role-to-assume) instead",
    ]);
    expect(oidcProblems(wf)).toEqual([
      "long-lived-keys: uses aws-actions/configure-aws-credentials without permissions id-token: write",
      "long-lived-keys: aws-actions/configure-aws-credentials without role-to-assume",
      "oidc-without-token: uses aws-actions/configure-aws-credentials without permissions id-token: write",
    ]);
    expect(permissionProblems(wf)).toEqual([
      "workflow: no top-level permissions",
      "long-lived-keys: no job permissions",
      "oidc-without-token: permissions write-all; list the scopes it needs",
    ]);
    expect(pinsWithoutVersionComment("      - uses: a/b@" + "c".repeat(40))).toHaveLength(1);
  });
});

describe("the pull request workflow", () => {
  const wf = workflow("pull-request.yml");
  const checks = job(wf, "checks");
  const preview = job(wf, "preview");
  const runs = (j: WorkflowJob) => (j.steps ?? []).map((s) => s.run ?? "").join("\n");

  it("checks every pull request, forks included, with a read-only token and no secrets", () => {
    expect(Object.keys(wf.on as object)).toEqual(["pull_request"]);
    expect(checks.permissions).toEqual({ contents: "read" });
    expect(checks.if).toBeUndefined();
    expect(JSON.stringify(checks)).not.toMatch(/\$\{\{[^}]*\b(secrets|vars)\./);
  });

  it("installs from the lock file, runs npm test and plans both stacks as markdown", () => {
    expect(runs(checks)).toMatch(/npm ci\b/);
    expect(runs(checks)).toMatch(/npm test\b/);
    expect(runs(checks)).toContain("for stack in dev prod");
    expect(runs(checks)).toContain('plan -- --stack "$stack" --format markdown');
    const setupNode = stepsUsing(checks, "actions/setup-node")[0];
    expect(setupNode?.with).toMatchObject({ "node-version": 20, cache: "npm" });
  });

  it("hands the plan to the comment workflow as an artifact", () => {
    const upload = stepsUsing(checks, "actions/upload-artifact")[0];
    expect(upload?.with?.name).toBe("offline-plan");
    const comment = parseWorkflowYaml(text("pr-comment.yml"));
    expect(
      (comment.on as { workflow_run: { workflows: string[] } }).workflow_run.workflows,
    ).toEqual([wf.name]);
  });

  it("previews dev and prod with pulumi/actions only for branches of this repository", () => {
    expect(preview.if).toContain(
      "github.event.pull_request.head.repo.full_name == github.repository",
    );
    expect(preview.strategy?.matrix?.stack).toEqual(["dev", "prod"]);
    expect(preview.permissions).toEqual({
      contents: "read",
      "id-token": "write",
      "pull-requests": "write",
    });
    const pulumi = stepsUsing(preview, "pulumi/actions")[0];
    expect(pulumi?.with).toMatchObject({
      command: "preview",
      "comment-on-pr": true,
      policyPacks: "policy",
    });
    const aws = stepsUsing(preview, "aws-actions/configure-aws-credentials")[0];
    expect(aws?.with?.["role-to-assume"]).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
  });

  it("runs the preview guard on prod after the preview", () => {
    const steps = preview.steps ?? [];
    const guard = steps.findIndex((s) => s.run?.includes("tools/guard-preview.ts"));
    expect(steps[guard]?.if).toBe("matrix.stack == 'prod'");
    expect(steps[guard]?.run).toContain('pulumi preview --stack "$STACK" --json');
    expect(guard).toBeGreaterThan(steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@")));
  });
});

describe("the comment workflow (workflow_run, the only writer for forks)", () => {
  const wf = workflow("pr-comment.yml");
  const comment = job(wf, "comment");

  it("never checks out or runs pull request code", () => {
    expect(stepsUsing(comment, "actions/checkout")).toEqual([]);
    expect((comment.steps ?? []).filter((s) => s.run)).toEqual([]);
    expect(comment.permissions).toEqual({ actions: "read", "pull-requests": "write" });
  });

  it("updates one marked comment and checks the pull request head against the tested commit", () => {
    const script = String(stepsUsing(comment, "actions/github-script")[0]?.with?.script);
    expect(script).toContain("pr.head.sha !== run.head_sha");
    expect(script).toContain("updateComment");
    expect(script).toContain("<!-- platform:offline-plan -->");
  });
});

describe("the deploy workflow", () => {
  const wf = workflow("deploy.yml");
  const dev = job(wf, "dev");
  const prod = job(wf, "prod");

  it("deploys on every push to main, dev first", () => {
    expect(wf.on).toEqual({ push: { branches: ["main"] } });
    expect(prod.needs).toBe("dev");
  });

  it.each([
    ["dev", "dev"],
    ["prod", "production"],
  ])("runs %s in its own queued concurrency group, through the %s environment", (id, env) => {
    const j = job(wf, id);
    expect(j.concurrency).toEqual({ group: `deploy-${id}`, "cancel-in-progress": false });
    expect(j.environment).toBe(env);
    expect(j.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(
      stepsUsing(j, "aws-actions/configure-aws-credentials")[0]?.with?.["role-to-assume"],
    ).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    const up = stepsUsing(j, "pulumi/actions").find((s) => s.with?.command === "up");
    expect(up?.with).toMatchObject({ "stack-name": "${{ env.STACK }}", policyPacks: "policy" });
    expect(String(j.env?.STACK)).toContain(`'${id}'`);
  });

  it("guards prod against destroying stateful resources before pulumi up", () => {
    const steps = prod.steps ?? [];
    const guard = steps.findIndex((s) => s.run?.includes("tools/guard-preview.ts"));
    const up = steps.findIndex((s) => s.with?.command === "up");
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(up);
    expect(dev.steps?.some((s) => s.run?.includes("guard-preview"))).toBe(false);
  });

  it("runs prod on the PROD_RUNNER runners, which can reach its restricted API endpoint", () => {
    expect(prod["runs-on"]).toBe("${{ vars.PROD_RUNNER || 'ubuntu-latest' }}");
  });
});

describe("the drift workflow", () => {
  const wf = workflow("drift.yml");
  const drift = job(wf, "drift");

  it("runs on a schedule and on demand, for each stack", () => {
    const on = wf.on as { schedule: { cron: string }[]; workflow_dispatch: unknown };
    expect(on.schedule[0]?.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(Object.keys(on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.strategy?.matrix?.stack).toEqual(["dev", "prod"]);
  });

  it("previews with --refresh and --expect-no-changes under the read-only role", () => {
    const preview = (drift.steps ?? []).find((s) => s.id === "preview");
    expect(preview?.run).toContain("pulumi preview");
    expect(preview?.run).toContain("--refresh");
    expect(preview?.run).toContain("--expect-no-changes");
    expect(preview?.run).toContain("set -o pipefail");
    const aws = stepsUsing(drift, "aws-actions/configure-aws-credentials")[0];
    expect(aws?.with?.["role-to-assume"]).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
  });

  it("opens or updates an issue labelled drift for the stack when the preview fails", () => {
    const report = stepsUsing(drift, "actions/github-script")[0];
    expect(report?.if).toBe("failure() && steps.preview.outcome == 'failure'");
    const script = String(report?.with?.script);
    expect(script).toContain('labels: "drift"');
    expect(script).toContain("createComment");
    expect(script).toContain("issues.create(");
    expect(drift.permissions).toMatchObject({ issues: "write", "id-token": "write" });
  });
});
