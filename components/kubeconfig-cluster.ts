import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import { assertValidArgs, shown } from "../lib/args";

/** The arguments of {@link KubeconfigCluster}. */
export interface KubeconfigClusterArgs {
  /**
   * The kubeconfig file: an absolute path or one under `~/`. Empty reads what kubectl reads:
   * `$KUBECONFIG`, else `~/.kube/config`.
   * @default ""
   */
  readonly kubeconfigPath?: string;
  /** The kubeconfig context to deploy into; pin it so a switched kubectl context cannot redirect a deploy. @default - the kubeconfig's current context */
  readonly context?: string;
}

const PATH = /^(\/|~\/)/;

/** Every problem with {@link KubeconfigClusterArgs}, one sentence each. */
export function validateKubeconfigClusterArgs(args: KubeconfigClusterArgs): string[] {
  const problems: string[] = [];
  const file = args.kubeconfigPath ?? "";
  // The provider reads a string that is not an existing file as the kubeconfig's contents, so a
  // relative path (resolved from the provider's working directory) would fail as bad YAML.
  if (file !== "" && !PATH.test(file)) {
    problems.push(`kubeconfigPath must be an absolute path or start with ~/; got ${shown(file)}`);
  } else if (file !== "" && !fs.existsSync(file.replace(/^~\//, `${os.homedir()}/`))) {
    // Otherwise the provider takes the path for inline YAML and calls the cluster unreachable.
    problems.push(`kubeconfigPath must name an existing file; got ${shown(file)}`);
  }
  if (args.context !== undefined && /\s/.test(args.context)) {
    problems.push(`context must be a kubeconfig context name; got ${shown(args.context)}`);
  }
  return problems;
}

/**
 * A Kubernetes cluster the stack does not own, reached through a kubeconfig: a local cluster for
 * development (kind, minikube, Docker Desktop) or one run by another team. It creates nothing
 * but the Kubernetes provider, so the services layer can deploy with no AWS account at all.
 *
 * The provider gets the path, never the file's contents: credentials stay out of the state, and
 * a refreshed token or certificate in the file is not a change. The provider plans a
 * replacement of everything deployed through it only when the active cluster changes
 * (pulumi-kubernetes `DiffConfig`), which is what a new context or file pointing elsewhere means.
 */
export class KubeconfigCluster extends pulumi.ComponentResource {
  /** The Kubernetes provider every workload on this cluster uses. */
  public readonly provider: k8s.Provider;

  constructor(name: string, args: KubeconfigClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs(`KubeconfigCluster "${name}"`, validateKubeconfigClusterArgs(args));
    super("platform:k8s:KubeconfigCluster", name, {}, opts);
    this.provider = new k8s.Provider(
      name,
      {
        // Unset, the provider falls back to $KUBECONFIG and then ~/.kube/config, as kubectl does
        // (pulumi-kubernetes provider.go Configure, clientcmd default loading rules).
        kubeconfig: args.kubeconfigPath || undefined,
        context: args.context || undefined,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
