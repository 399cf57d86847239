import { execFileSync } from "child_process";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/runner";
import { runStack } from "../harness";

// The shipped prod stack holds placeholders (a documentation address range, the documentation
// account in the CI role ARNs). A preview must go on and warn; a real update must refuse them
// before the first resource. Refused runs happen in their own process (test/config/
// bad-stack-run.ts): the runtime re-rejects a failed program's promise, which jest would catch.

interface Refused {
  registered: string[];
  error?: { name: string; message: string; isConfigError: boolean };
  otherFailures: string[];
}

function refusedRun(stack: string, overrides: object, mode = ""): Refused {
  const out = execFileSync(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      path.join(PROJECT_DIR, "test/config/bad-stack-run.ts"),
      stack,
      JSON.stringify(overrides),
      mode,
    ],
    { cwd: PROJECT_DIR, encoding: "utf8", timeout: 30_000 },
  );
  return JSON.parse(out) as Refused;
}

describe("placeholders in the shipped prod stack", () => {
  it("refuse a real update, listing every one, before any resource is registered", () => {
    const run = refusedRun("prod", {}, "as-shipped");
    expect(run.error?.isConfigError).toBe(true);
    expect(run.error?.message).toBe(
      'Invalid config for stack "prod" (5 problems):\n' +
        '  - platform:access.ciDeployRole: names the documentation account 123456789012, not yours: put the ARNs of your real roles (the bootstrap project\'s outputs for the CI roles) there; got "arn:aws:iam::123456789012:role/gha-platform-deploy"\n' +
        '  - platform:access.ciPreviewRole: names the documentation account 123456789012, not yours: put the ARNs of your real roles (the bootstrap project\'s outputs for the CI roles) there; got "arn:aws:iam::123456789012:role/gha-platform-preview"\n' +
        '  - platform:frontDoor.domain: names a documentation domain (example.com, .org, .net; RFC 2606), not one you own: put your domain and the id of its public Route 53 hosted zone there; got "apps.example.com"\n' +
        '  - platform:frontDoor.hostedZoneId: is an AWS documentation example id (…EXAMPLE), not one of yours: put your domain and the id of its public Route 53 hosted zone there; got "Z0000000000EXAMPLE"\n' +
        '  - platform:publicAccessCidrs[0]: is in the documentation range 203.0.113.0/24 (RFC 5737), where no real host is: put the egress ranges of your VPN or office and of the CI runners that deploy there; got "203.0.113.0/24"',
    );
    expect(run.registered).toEqual(["pulumi:pulumi:Stack::platform-prod"]);
    expect(run.otherFailures).toEqual([]);
  });

  it("let a preview run and print the same list as a warning", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const run = await runStack("prod", {}, { preview: true });
      expect(run.resources.length).toBeGreaterThan(50);
      const warnings = warn.mock.calls.map((c) => String(c[0]));
      const placeholders = warnings.find((w) => w.includes("placeholder value"));
      expect(placeholders).toContain(
        'Stack "prod" holds 5 placeholder value(s); this preview goes on, `pulumi up` refuses them:',
      );
      expect(placeholders).toContain(
        "platform:publicAccessCidrs[0]: is in the documentation range",
      );
      expect(placeholders).toContain(
        "platform:access.ciDeployRole: names the documentation account",
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe("a run under a read-only identity when no admin is configured", () => {
  it("refuses a preview, saying what to set, instead of planning to hand it the admin entry", () => {
    // The mocks' caller is the PlatformDeployer role; here it is also the CI preview role.
    const run = refusedRun(
      "dev",
      { access: { ciPreviewRole: "arn:aws:iam::123456789012:role/PlatformDeployer" } },
      "preview",
    );
    expect(run.error?.isConfigError).toBe(true);
    expect(run.error?.message).toContain(
      "platform:access: must name the cluster admins (access.admins, or access.ciDeployRole for the role that deploys) when the program runs as arn:aws:iam::123456789012:role/PlatformDeployer, the CI preview role (access.ciPreviewRole)",
    );
    expect(run.registered).toEqual(["pulumi:pulumi:Stack::platform-dev"]);
  });
});
