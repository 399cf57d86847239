import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../tools/runner";

// `npm run e2e` deploys into whatever cluster the kubeconfig names, so before anything else it
// refuses any API server that is not on 127.0.0.1. Checked here with kubectl's own reading of a
// kubeconfig; the deploy itself runs only by hand (scripts/engine/README.md).

const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
const maybe = kubectl.status === 0 ? describe : describe.skip;
if (kubectl.status !== 0) console.warn("e2e guard tests skipped: kubectl is not on PATH");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-guard-"));
// The guard checks that pulumi exists before it reads the kubeconfig; it never runs it.
fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\nexit 99\n", { mode: 0o755 });

function e2eWith(server: string, extraUser = "token: x") {
  const kubeconfig = path.join(dir, `${encodeURIComponent(server)}.yaml`);
  fs.writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: c, cluster: {server: "${server}"}}]`,
      `users: [{name: u, user: {${extraUser}}}]`,
      "contexts: [{name: ctx, context: {cluster: c, user: u}}]",
      "current-context: ctx",
    ].join("\n"),
  );
  const env: Record<string, string> = {
    PATH: `${dir}:${process.env.PATH}`,
    KUBECONFIG: kubeconfig,
  };
  return spawnSync("bash", [path.join(PROJECT_DIR, "scripts/engine/e2e.sh")], {
    encoding: "utf8",
    env: { ...env, HOME: dir },
  });
}

maybe("npm run e2e refuses any cluster but one on 127.0.0.1", () => {
  it.each([
    "https://10.1.2.3:6443",
    "https://127.0.0.1.example.com:6443",
    "https://localhost:6443",
    "http://127.0.0.1:6443",
    "https://127.0.0.1",
  ])("refuses %s", (server) => {
    const run = e2eWith(server);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe(
      `e2e: refused: context ctx's API server is "${server}", not https://127.0.0.1:<port>\ne2e: 0 passed, 1 failed\n`,
    );
  });

  it("refuses an exec credential plugin, which could call out (aws eks get-token)", () => {
    const run = e2eWith(
      "https://127.0.0.1:6443",
      "exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}",
    );
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("e2e: refused: context ctx uses an exec credential plugin");
  });

  it("refuses a legacy auth-provider plugin, which could call out too", () => {
    const run = e2eWith("https://127.0.0.1:6443", "auth-provider: {name: oidc, config: {}}");
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("e2e: refused: context ctx uses an auth-provider plugin");
  });
});
