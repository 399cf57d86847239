import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The opt-in: the integration test uses a real AWS account, so it never runs by accident. */
export const OPT_IN = "PLATFORM_INTEGRATION";
/** The second opt-in: a real `up` and `destroy` of the dev configuration (40 minutes, a bill). */
export const DEPLOY_OPT_IN = "PLATFORM_E2E_DEPLOY";

/** What the checks may look at; the real machine by default, fakes in the unit test. */
export interface Probe {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when an executable of this name is on `env.PATH`. */
  readonly onPath: (command: string) => boolean;
  /** True when the file exists. */
  readonly exists: (file: string) => boolean;
  readonly home: string;
}

/** Why the integration test cannot run here, in one line; undefined when it can. */
export function whyNot(probe: Probe): string | undefined {
  const { env } = probe;
  if (env[OPT_IN] !== "1") return `${OPT_IN} is not 1 (it deploys to a real AWS account)`;
  if (!probe.onPath("pulumi")) return "the Pulumi CLI is not on PATH";
  if (!hasAwsCredentials(probe)) {
    return "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, web identity, container role or ~/.aws)";
  }
  return undefined;
}

/** True when the AWS SDK's default chain has something to start from. */
export function hasAwsCredentials({ env, exists, home }: Probe): boolean {
  const variables = [
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  ];
  if (variables.some((v) => (env[v] ?? "") !== "")) return true;
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, ".aws", "credentials"),
    env.AWS_CONFIG_FILE ?? path.join(home, ".aws", "config"),
  ];
  return files.some(exists);
}

/** The probe of this machine. */
export function machineProbe(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Probe {
  return {
    env,
    home: os.homedir(),
    exists: (file) => fs.existsSync(file),
    onPath: (command) =>
      (env.PATH ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .some((dir) => {
          try {
            fs.accessSync(path.join(dir, command), fs.constants.X_OK);
            return true;
          } catch {
            return false;
          }
        }),
  };
}
