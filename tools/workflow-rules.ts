/**
 * Supply-chain and credential rules for GitHub Actions workflows, as pure functions over the
 * parsed YAML: every action pinned, AWS reached only through OIDC, least-privilege permissions.
 * The schema itself is checked by tools/validate-workflows.mjs with GitHub's own parser.
 */
import { parse } from "yaml";

/** A `permissions:` value: `read-all`, `write-all` or a scope → level map. */
export type Permissions = string | Readonly<Record<string, string>>;

/** A workflow step, as far as the rules read it. */
export interface WorkflowStep {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
}

/** A workflow job, as far as the rules read it. */
export interface WorkflowJob {
  readonly name?: string;
  readonly if?: string;
  readonly needs?: string | readonly string[];
  readonly uses?: string;
  readonly "runs-on"?: string | readonly string[];
  readonly permissions?: Permissions;
  readonly environment?: string | { readonly name: string };
  readonly concurrency?:
    string | { readonly group: string; readonly "cancel-in-progress"?: boolean };
  readonly strategy?: { readonly matrix?: Readonly<Record<string, unknown>> };
  readonly env?: Readonly<Record<string, unknown>>;
  readonly steps?: readonly WorkflowStep[];
}

/** A parsed workflow file. */
export interface Workflow {
  readonly name?: string;
  readonly on: unknown;
  readonly permissions?: Permissions;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly jobs: Readonly<Record<string, WorkflowJob>>;
}

/** Parses a workflow file's text (YAML 1.2, so `on` stays a string key). */
export function parseWorkflowYaml(text: string): Workflow {
  return parse(text) as Workflow;
}

const SHA = /^[0-9a-f]{40}$/;
const VERSION_TAG = /^v\d+(\.\d+){0,2}$/;
const AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials";
const KEY_INPUTS = ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"];
const KEY_ENV = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/** Every `uses:` of the workflow with where it is: job steps and reusable-workflow jobs. */
export function actionReferences(wf: Workflow): { where: string; uses: string }[] {
  return Object.entries(wf.jobs).flatMap(([id, job]) => [
    ...(job.uses ? [{ where: id, uses: job.uses }] : []),
    ...(job.steps ?? []).flatMap((s, i) =>
      s.uses ? [{ where: stepLabel(id, s, i), uses: s.uses }] : [],
    ),
  ]);
}

/**
 * True for a reference pinned to something that cannot move by accident: a full commit SHA or
 * a version tag (`v4`, `v4.2.1`), a Docker image by digest, or an action in this repository.
 */
export function isPinned(uses: string): boolean {
  if (uses.startsWith("./")) return true;
  if (uses.startsWith("docker://")) return /@sha256:[0-9a-f]{64}$/.test(uses);
  const at = uses.lastIndexOf("@");
  if (at < 0) return false;
  const ref = uses.slice(at + 1);
  return SHA.test(ref) || VERSION_TAG.test(ref);
}

/** Actions referenced by a branch, a short SHA, or nothing at all. */
export function unpinnedActions(wf: Workflow): string[] {
  return actionReferences(wf)
    .filter((r) => !isPinned(r.uses))
    .map((r) => `${r.where}: ${r.uses} is not pinned to a version tag or a full commit SHA`);
}

/** SHA pins without the `# vX.Y.Z` comment that tells a reviewer (and Dependabot) the version. */
export function pinsWithoutVersionComment(text: string): string[] {
  return text
    .split("\n")
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => /^(- )?uses: \S+@[0-9a-f]{40}\b/.test(line) && !/ # v\d/.test(line))
    .map(({ line, n }) => `line ${n}: ${line} has no "# vX.Y.Z" comment`);
}

/** Long-lived AWS keys passed as action inputs or environment variables, at any level. */
export function longLivedAwsKeys(wf: Workflow): string[] {
  const envKeys = (where: string, env?: Readonly<Record<string, unknown>>) =>
    Object.keys(env ?? {})
      .filter((k) => KEY_ENV.includes(k))
      .map((k) => `${where}: sets ${k}; use OIDC (role-to-assume) instead`);
  return [
    ...envKeys("workflow", wf.env),
    ...Object.entries(wf.jobs).flatMap(([id, job]) => [
      ...envKeys(id, job.env),
      ...(job.steps ?? []).flatMap((s, i) => [
        ...envKeys(stepLabel(id, s, i), s.env),
        ...Object.keys(s.with ?? {})
          .filter((k) => KEY_INPUTS.includes(k))
          .map((k) => `${stepLabel(id, s, i)}: passes ${k}; use OIDC (role-to-assume) instead`),
      ]),
    ]),
  ];
}

/** Jobs that assume an AWS role without an OIDC token, or without naming the role. */
export function oidcProblems(wf: Workflow): string[] {
  return Object.entries(wf.jobs).flatMap(([id, job]) => {
    const steps = (job.steps ?? []).filter((s) => s.uses?.startsWith(`${AWS_CREDENTIALS_ACTION}@`));
    if (steps.length === 0) return [];
    const perms = job.permissions ?? wf.permissions;
    const problems: string[] = [];
    if (!(typeof perms === "object" && perms["id-token"] === "write")) {
      problems.push(`${id}: uses ${AWS_CREDENTIALS_ACTION} without permissions id-token: write`);
    }
    if (steps.some((s) => !s.with?.["role-to-assume"])) {
      problems.push(`${id}: ${AWS_CREDENTIALS_ACTION} without role-to-assume`);
    }
    return problems;
  });
}

/**
 * Least privilege: the workflow sets a default (`{}` or a read map) and every job states its
 * own scopes as a map; never `write-all` / `read-all`.
 */
export function permissionProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  if (wf.permissions === undefined) problems.push("workflow: no top-level permissions");
  else if (typeof wf.permissions === "string") {
    problems.push(`workflow: permissions ${wf.permissions}; list the scopes it needs`);
  }
  for (const [id, job] of Object.entries(wf.jobs)) {
    if (job.permissions === undefined) problems.push(`${id}: no job permissions`);
    else if (typeof job.permissions === "string") {
      problems.push(`${id}: permissions ${job.permissions}; list the scopes it needs`);
    }
  }
  return problems;
}

/** Every rule at once, for a workflow file's text. */
export function checkWorkflow(text: string): string[] {
  const wf = parseWorkflowYaml(text);
  return [
    ...unpinnedActions(wf),
    ...pinsWithoutVersionComment(text),
    ...longLivedAwsKeys(wf),
    ...oidcProblems(wf),
    ...permissionProblems(wf),
  ];
}

function stepLabel(job: string, step: WorkflowStep, index: number): string {
  return `${job}, step ${index + 1}${step.name ? ` (${step.name})` : ""}`;
}
