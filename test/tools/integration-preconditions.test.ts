import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Probe, hasAwsCredentials, machineProbe, whyNot } from "../integration/preconditions";

/** A machine with the CLI, credentials in the environment and the opt-in set. */
const ready: Probe = {
  env: { PLATFORM_INTEGRATION: "1", AWS_PROFILE: "platform-dev" },
  onPath: (command) => command === "pulumi",
  exists: () => false,
  home: "/home/dev",
};

describe("when the integration test may run", () => {
  it("runs only when opted in, with the Pulumi CLI and AWS credentials", () => {
    expect(whyNot(ready)).toBeUndefined();
  });

  it.each([
    [
      "without the opt-in",
      { ...ready, env: { AWS_PROFILE: "x" } },
      "PLATFORM_INTEGRATION is not 1 (it deploys to a real AWS account)",
    ],
    ["without the Pulumi CLI", { ...ready, onPath: () => false }, "the Pulumi CLI is not on PATH"],
    [
      "without AWS credentials",
      { ...ready, env: { PLATFORM_INTEGRATION: "1", AWS_PROFILE: "" } },
      "no AWS credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, web identity, container role or ~/.aws)",
    ],
  ])("skips %s, saying why in one line", (_case, probe, reason) => {
    expect(whyNot(probe)).toBe(reason);
  });

  it.each([
    ["AWS_ACCESS_KEY_ID", { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE" }, []],
    ["a web identity (GitHub OIDC)", { AWS_WEB_IDENTITY_TOKEN_FILE: "/tmp/token" }, []],
    ["a container role", { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/creds" }, []],
    ["~/.aws/credentials", {}, ["/home/dev/.aws/credentials"]],
    ["AWS_CONFIG_FILE", { AWS_CONFIG_FILE: "/etc/aws" }, ["/etc/aws"]],
  ])("finds credentials from %s", (_source, env, files) => {
    const probe = { ...ready, env, exists: (f: string) => (files as string[]).includes(f) };
    expect(hasAwsCredentials(probe)).toBe(true);
  });

  it("finds executables on this machine's PATH, and only executables", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "path-probe-"));
    try {
      fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
      fs.writeFileSync(path.join(dir, "notes"), "", { mode: 0o644 });
      const probe = machineProbe({ PATH: `/nonexistent${path.delimiter}${dir}` });
      expect(probe.onPath("pulumi")).toBe(true);
      expect(probe.onPath("notes")).toBe(false);
      expect(probe.onPath("terraform")).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
