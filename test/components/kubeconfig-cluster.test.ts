import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateKubeconfigClusterArgs } from "../../components/kubeconfig-cluster";

// The provider takes a string that is not an existing file for inline YAML and then calls the
// cluster unreachable, so a bad path must be refused before it gets there.

describe("KubeconfigCluster arguments", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kcfg-")), "config");
  beforeAll(() => fs.writeFileSync(file, "apiVersion: v1\nkind: Config\n"));

  it.each([
    [{}, []],
    [{ kubeconfigPath: "", context: "kind-kind" }, []],
    [{ kubeconfigPath: file }, []],
    [
      { kubeconfigPath: "kube/config" },
      ['kubeconfigPath must be an absolute path or start with ~/; got "kube/config"'],
    ],
    [
      { kubeconfigPath: `${file}.missing` },
      [`kubeconfigPath must name an existing file; got "${file}.missing"`],
    ],
    [
      { kubeconfigPath: "~/no-such-dir-for-this-test/config" },
      ['kubeconfigPath must name an existing file; got "~/no-such-dir-for-this-test/config"'],
    ],
    [{ context: "my context" }, ['context must be a kubeconfig context name; got "my context"']],
  ])("%j: %j", (args, problems) => {
    expect(validateKubeconfigClusterArgs(args)).toEqual(problems);
  });
});
