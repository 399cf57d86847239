import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { RecordedResource, RecordingMocks } from "./mocks";

/** The project root: the folder holding `Pulumi.yaml`. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** A stack's config as the engine hands it to the program: every value a string. */
export interface StackConfig {
  readonly project: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

/**
 * Reads `Pulumi.yaml` defaults, then `Pulumi.<stack>.yaml` values, and merges them as the
 * CLI does (mocks do not). Objects and arrays become JSON; `{secure: ...}` values become a
 * placeholder and are listed as secret. `overrides` replace single keys (undefined deletes).
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
  const secretKeys: string[] = [];
  const set = (key: string, value: unknown) => {
    const k = qualify(key);
    if (value === undefined) {
      delete config[k];
    } else if (isSecure(value)) {
      config[k] = "mock-secret-value";
      secretKeys.push(k);
    } else {
      config[k] = typeof value === "string" ? value : JSON.stringify(value);
    }
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
    const stackFile = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as {
      config?: Record<string, unknown>;
    };
    for (const [key, value] of Object.entries(stackFile.config ?? {})) set(key, value);
  }
  for (const [key, value] of Object.entries(overrides)) set(key, value);
  return { project: project.name, config, secretKeys };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
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
  /** Simulate a preview (computed outputs unknown). @default false */
  readonly preview?: boolean;
  /** The program to run. @default - the project's `index.ts` */
  readonly program?: () => unknown;
  /** The project folder: its `Pulumi.yaml`, stack files and `index.ts`. @default PROJECT_DIR */
  readonly projectDir?: string;
}

/**
 * Runs the program the way the Pulumi Node.js language host does (`runInPulumiStack`, calling
 * an exported function), against {@link RecordingMocks} and the stack's real config, and
 * returns every registration. One run per module registry: the Pulumi runtime keeps global
 * state, so run each stack in its own jest file or process.
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
  await pulumi.runtime.setMocks(mocks, project, options.stack, options.preview ?? false);
  recordRegistrations(mocks);

  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const program = options.program ?? (() => require(path.join(projectDir, "index")));
      let exported = program() as { default?: unknown } | (() => unknown);
      if (
        typeof exported === "object" &&
        exported !== null &&
        "default" in exported &&
        typeof exported.default === "function"
      ) {
        exported = exported.default as () => unknown;
      }
      return typeof exported === "function" ? await exported() : exported;
    });
    await new Promise((resolve) => setImmediate(resolve));
    if (rejections.length > 0) throw rejections[0];
    if (mocks.resources.length === 0) {
      throw new Error(
        "runStack: nothing was registered; was the program imported before setMocks?",
      );
    }
    return { stack: options.stack, project, resources: mocks.resources, outputs: outputs ?? {} };
  } finally {
    process.off("unhandledRejection", onRejection);
    await pulumi.runtime.disconnect();
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
          },
        });
      }
      callback(err, res);
    });
}
