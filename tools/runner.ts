import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import * as fs from "fs";
import * as path from "path";
import { isAlias, isMap, isNode, isScalar, parseDocument, parse as parseYaml } from "yaml";
import { RecordedResource, RecordingMocks } from "./mocks";

/** The project root: the folder holding `Pulumi.yaml`. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** A stack's config as the engine hands it to the program: every value a string. */
export interface StackConfig {
  readonly project: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

/** The text a secret config value gets under the mocks: there is no key to decrypt it with. */
export const MOCK_SECRET = "mock-secret-value";

/**
 * Reads `Pulumi.yaml` defaults, then `Pulumi.<stack>.yaml` values, and merges them as the
 * CLI does (mocks do not). A stack file's scalar keeps its text as written (the CLI reads it
 * into a string: `1.30` stays "1.30", `True` stays "True"); lists and maps become JSON.
 * `{secure: ...}` values, top-level or nested, become {@link MOCK_SECRET} and their key is
 * listed as secret. `overrides` replace single keys (undefined deletes).
 */
export function readStackConfig(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  projectDir = PROJECT_DIR,
): StackConfig {
  const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, unknown>;
  };
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  const config: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const set = (key: string, value: unknown) => {
    const k = qualify(key);
    delete config[k];
    secretKeys.delete(k);
    if (value === undefined) return;
    const secret = { found: false };
    const plain = withoutSecrets(value, secret);
    config[k] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (secret.found) secretKeys.add(k);
  };
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const d = decl as { default?: unknown; value?: unknown };
    const value =
      typeof decl === "object" && decl !== null && !Array.isArray(decl)
        ? (d.default ?? d.value)
        : decl;
    if (value !== undefined) set(key, value);
  }
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(file)) {
    for (const [key, value] of stackFileValues(fs.readFileSync(file, "utf8"))) set(key, value);
  }
  for (const [key, value] of Object.entries(overrides)) set(key, value);
  return { project: project.name, config, secretKeys: [...secretKeys] };
}

/**
 * The `config:` entries of a stack file as the CLI reads them: a scalar as its text (Go's
 * yaml.v3 decodes any scalar into a string as written; an empty one is ""), anything else as
 * its parsed value, which the CLI passes on as JSON.
 */
function stackFileValues(text: string): [string, unknown][] {
  const doc = parseDocument(text);
  const [error] = doc.errors;
  if (error) throw error;
  const entries = doc.get("config");
  if (!isMap(entries)) return [];
  return entries.items.map((pair) => {
    const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const node = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    if (!isScalar(node)) return [key, isNode(node) ? node.toJS(doc) : ""];
    return [key, node.value === null ? "" : (node.source ?? "")];
  });
}

/** A value with each `{secure: "<ciphertext>"}` replaced by {@link MOCK_SECRET}. */
function withoutSecrets(value: unknown, secret: { found: boolean }): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, secret));
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  // The CLI's test: a map with one key, `secure`, holding a string.
  if (entries.length === 1 && entries[0]![0] === "secure" && typeof entries[0]![1] === "string") {
    secret.found = true;
    return MOCK_SECRET;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutSecrets(v, secret)]));
}

/** What one run of the program under mocks produced. */
export interface StackRun {
  readonly stack: string;
  readonly project: string;
  /** Every registered resource in registration order, the stack itself first. */
  readonly resources: readonly RecordedResource[];
  /** The stack outputs, resolved. */
  readonly outputs: Record<string, unknown>;
}

/** How to run a stack. */
export interface RunOptions {
  readonly stack: string;
  /** Config keys to replace, for tests. @default {} */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Simulate a first preview: `isDryRun()` is true and computed outputs are unknown. @default false */
  readonly preview?: boolean;
  /**
   * Simulate a preview of a stack whose outputs are known (as after its first update, the
   * usual pull-request preview): `isDryRun()` is true, computed outputs are not unknown.
   * @default - the value of `preview`
   */
  readonly dryRun?: boolean;
  /** The program to run. @default - the project's `index.ts` */
  readonly program?: () => unknown;
  /** The project folder: its `Pulumi.yaml`, stack files and `index.ts`. @default PROJECT_DIR */
  readonly projectDir?: string;
}

/**
 * Runs the program the way the Pulumi Node.js language host does for a CommonJS project
 * (`runInPulumiStack`; an exported function is called and its result awaited, anything else is
 * the stack outputs), against {@link RecordingMocks} and the stack's real config, and returns
 * every registration. Throws the program's error, or else the first unhandled rejection (an
 * `apply` that threw): the language host fails the update on either. When it runs the
 * project's `index.ts`, a run that registers nothing but the stack fails too. One run per
 * module registry: the Pulumi runtime keeps global state, so run each stack in its own jest
 * file or process.
 */
export async function runStack(options: RunOptions): Promise<StackRun> {
  const projectDir = options.projectDir ?? PROJECT_DIR;
  const { project, config, secretKeys } = readStackConfig(
    options.stack,
    options.overrides,
    projectDir,
  );
  pulumi.runtime.setAllConfig(config, secretKeys);
  const region = config["aws:region"] ?? "us-east-1";
  const mocks = new RecordingMocks({ region, preview: options.preview });
  const dryRun = options.dryRun ?? options.preview ?? false;
  await pulumi.runtime.setMocks(mocks, project, options.stack, dryRun);
  recordRegistrations(mocks);

  // Outside jest (npm run plan), an unhandled rejection would kill the process. The runtime
  // also re-rejects a failed program's stack promise on purpose, for the language host to
  // report, so the listener stays on until the runtime is disconnected.
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    let outputs: Record<string, unknown> | undefined;
    try {
      outputs = await pulumi.runtime.runInPulumiStack(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = options.program ?? (() => require(path.join(projectDir, "index")));
        const exported = program();
        return typeof exported === "function" ? await (exported as () => unknown)() : exported;
      });
    } catch (error) {
      rejections.unshift(error);
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (rejections.length > 0) throw rejections[0];
    if (options.program === undefined && mocks.resources.length < 2) {
      throw new Error(
        `runStack: ${projectDir}/index.ts registered nothing but the stack; it must \`export =\` the program (the language host ignores a default export) and be loaded only by runStack, after setMocks`,
      );
    }
    return { stack: options.stack, project, resources: mocks.resources, outputs: outputs ?? {} };
  } finally {
    await pulumi.runtime.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
  }
}

type Request = {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): unknown;
  getCustom(): boolean;
  getRemote(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getRetainondelete(): boolean;
  getDeletedwith(): string;
  getAliasesList(): unknown[];
  getCustomtimeouts(): { getDelete(): string } | undefined;
};

/**
 * Wraps the mock monitor so each registration is recorded with its parent and resource
 * options (`protect`, `dependsOn`, `ignoreChanges`...), which `Mocks.newResource` never sees.
 */
export function recordRegistrations(mocks: RecordingMocks): void {
  const monitor = getMonitor() as unknown as {
    registerResource(req: Request, cb: (err: unknown, res?: { getUrn(): string }) => void): void;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    original(req, (err, res) => {
      if (!err && res) {
        mocks.resources.push({
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          parent: req.getParent(),
          inputs: deserializeProperties(
            req.getObject() as Parameters<typeof deserializeProperties>[0],
          ),
          custom: req.getCustom(),
          remote: req.getRemote(),
          provider: req.getProvider(),
          options: {
            protect: req.getProtect() === true,
            dependencies: req.getDependenciesList(),
            ignoreChanges: req.getIgnorechangesList(),
            retainOnDelete: req.getRetainondelete() === true,
            deletedWith: req.getDeletedwith(),
            aliases: req.getAliasesList().length,
            deleteTimeout: req.getCustomtimeouts()?.getDelete() ?? "",
          },
        });
      }
      callback(err, res);
    });
}
