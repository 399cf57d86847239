/**
 * The dev configuration against a real AWS account, through the Automation API: a preview, and
 * with PLATFORM_E2E_DEPLOY=1 an `up`, a second preview that must show no change, and a
 * `destroy`. State lives in a local file backend in a temporary directory, so nothing is left
 * in a shared backend. Run it with `npm run test:integration` (jest.integration.config.js).
 *
 * The stack is not called `dev`: it gets a unique name (PLATFORM_E2E_STACK to choose it) and a
 * copy of Pulumi.dev.yaml, because physical names derive from the stack name (a real deploy
 * must not collide with the team's dev stack) and because a passphrase stack writes its salt
 * into its stack file, which must not be the committed one.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { OpMap, Stack } from "@pulumi/pulumi/automation";
import { DEPLOY_OPT_IN, machineProbe, whyNot } from "./preconditions";

const PROJECT_DIR = path.join(__dirname, "../..");
const MINUTE = 60_000;
const reason = whyNot(machineProbe());
const deploy = process.env[DEPLOY_OPT_IN] === "1";
if (reason) console.log(`integration test skipped: ${reason}`);
else if (!deploy) console.log(`integration test: preview only; set ${DEPLOY_OPT_IN}=1 to deploy`);

/** The operations in a change summary other than `same` that happen at least once. */
function changes(summary: OpMap): string[] {
  return Object.entries(summary)
    .filter(([op, count]) => op !== "same" && (count ?? 0) > 0)
    .map(([op, count]) => `${op}: ${count}`);
}

(reason ? describe.skip : describe)("the dev configuration on AWS (Automation API)", () => {
  const stackName = process.env.PLATFORM_E2E_STACK ?? `dev-it-${randomBytes(3).toString("hex")}`;
  const stackFile = path.join(PROJECT_DIR, `Pulumi.${stackName}.yaml`);
  const log = (text: string) => process.stdout.write(text);
  let backendDir: string | undefined;
  let stack: Stack;
  let deployed = false;

  beforeAll(async () => {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-it-"));
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), stackFile);
    stack = await LocalWorkspace.createStack(
      { stackName, workDir: PROJECT_DIR },
      {
        envVars: {
          PULUMI_BACKEND_URL: `file://${backendDir}`,
          PULUMI_CONFIG_PASSPHRASE: "platform-integration-test",
        },
      },
    );
  }, 5 * MINUTE);

  afterAll(async () => {
    try {
      // A failed `up` may have created half the stack: never leave it running.
      if (deployed) await stack.destroy({ onOutput: log });
      await stack?.workspace.removeStack(stackName);
    } finally {
      fs.rmSync(stackFile, { force: true });
      if (backendDir) fs.rmSync(backendDir, { recursive: true, force: true });
    }
  }, 60 * MINUTE);

  it(
    "previews a fresh stack as creates only",
    async () => {
      const result = await stack.preview({ onOutput: log });
      expect(result.changeSummary.create ?? 0).toBeGreaterThan(10);
      expect(changes(result.changeSummary).filter((c) => !c.startsWith("create"))).toEqual([]);
    },
    20 * MINUTE,
  );

  (deploy ? it : it.skip)(
    "deploys it with up",
    async () => {
      deployed = true;
      const result = await stack.up({ onOutput: log });
      expect(result.summary.result).toBe("succeeded");
    },
    60 * MINUTE,
  );

  (deploy ? it : it.skip)(
    "shows no change on a second preview (no perpetual diff)",
    async () => {
      const result = await stack.preview({ onOutput: log });
      expect(changes(result.changeSummary)).toEqual([]);
    },
    20 * MINUTE,
  );

  (deploy ? it : it.skip)(
    "destroys everything it created",
    async () => {
      const result = await stack.destroy({ onOutput: log });
      deployed = false;
      expect(result.summary.result).toBe("succeeded");
      expect((await stack.exportStack()).deployment?.resources ?? []).toEqual([]);
    },
    60 * MINUTE,
  );
});
