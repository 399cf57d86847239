import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { DeepReadonly } from "../config/load";
import { RESERVED_ENV_NAMES, RESERVED_NAMESPACES, ServiceSettings } from "../config/schema";
import { shown } from "../lib/args";
import { imageRefProblem } from "../lib/images";
import { NAME_LIMITS } from "../lib/naming";
import { DEFAULT_POD_SECURITY_VERSION } from "../lib/workload";
import * as links from "./service-links";
import { ServiceIngressArgs, ingressProblems } from "./service-ingress";

/** The arguments of {@link Service}. */
export interface ServiceArgs extends links.ServiceLinkArgs {
  /** The image, by digest (`<registry>/<repo>@sha256:<64 hex>`); checked when a plain string. @default - none */
  readonly image: pulumi.Input<string>;
  /** The service's validated settings from `services.<name>` in config. @default - none */
  readonly settings: DeepReadonly<ServiceSettings>;
  /** The EKS cluster name, for the Pod Identity association; required with AWS permissions or secrets. @default - none */
  readonly clusterName?: pulumi.Input<string>;
  /** The Kubernetes provider of the cluster. @default - none */
  readonly provider: k8s.Provider;
  /** What the Kubernetes Service must outlive: the Load Balancer Controller release and the node groups. @default [] */
  readonly loadBalancerDependsOn?: pulumi.Resource[];
  /** The shared ALB, for a service exposed over HTTP (required then). @default - none */
  readonly ingress?: ServiceIngressArgs;
  /** What the pods run on: the Karpenter NodePools (a destroy then deletes the workload before them). @default [] */
  readonly nodesDependOn?: pulumi.Resource[];
  /** Create a ServiceMonitor when `settings.metrics` is on (the observability stack is installed). @default false */
  readonly serviceMonitor?: boolean;
  /** What installs the ServiceMonitor CRD: the kube-prometheus-stack release. @default [] */
  readonly monitoringDependsOn?: pulumi.Resource[];
  /** The IAM role name when `settings.awsPolicyArns` is set (lib/naming.ts `serviceRoleName`), unique per stack; required with AWS permissions. @default - none */
  readonly awsRoleName?: string;
  /** The PSS version the namespace enforces: `latest` or a minor such as `v1.35`. @default "latest" */
  readonly podSecurityVersion?: string;
  /** Tags for the AWS resources (IAM role, Pod Identity association). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PSS_VERSION = /^(latest|v1\.\d+)$/;

/** Every problem with a service's name and {@link ServiceArgs}, one sentence each. */
export function validateServiceArgs(name: string, args: ServiceArgs): string[] {
  const problems: string[] = [];
  const s = args.settings;
  if (!DNS_LABEL.test(name) || name.length > NAME_LIMITS.kubernetesName) {
    problems.push(
      `name must be a DNS label (lower-case letters, digits and '-', starting with a letter, at most ${NAME_LIMITS.kubernetesName} characters), as it names the namespace; got ${shown(name)}`,
    );
  }
  if ((RESERVED_NAMESPACES as readonly string[]).includes(name)) {
    problems.push(
      `name must not be a reserved namespace (${RESERVED_NAMESPACES.join(", ")}); got ${shown(name)}`,
    );
  }
  const imageProblem =
    typeof args.image === "string" ? imageRefProblem("image", args.image) : undefined;
  if (imageProblem) problems.push(imageProblem);
  if (!Number.isInteger(s.port) || s.port < 1024 || s.port > 65535) {
    problems.push(
      `settings.port must be 1024 to 65535 (a non-root container cannot bind lower ports); got ${shown(s.port)}`,
    );
  }
  if (!Number.isInteger(s.minReplicas) || s.minReplicas < 1 || s.minReplicas > s.maxReplicas) {
    problems.push(
      `settings.minReplicas must be at least 1 and at most maxReplicas; got ${shown({ minReplicas: s.minReplicas, maxReplicas: s.maxReplicas })}`,
    );
  }
  if ((s.awsPolicyArns.length > 0 || (args.secrets ?? []).length > 0) && !args.awsRoleName) {
    problems.push(
      `awsRoleName must name the service's IAM role when settings.awsPolicyArns or secrets are set (lib/naming.ts serviceRoleName); got ${shown(args.awsRoleName)}`,
    );
  }
  if ((s.awsPolicyArns.length > 0 || (args.secrets ?? []).length > 0) && !args.clusterName) {
    problems.push(
      `clusterName must name the EKS cluster when settings.awsPolicyArns or secrets are set (Pod Identity); got ${shown(args.clusterName)}`,
    );
  }
  problems.push(...links.serviceLinkArgProblems(name, args));
  for (const reserved of RESERVED_ENV_NAMES) {
    if (reserved in s.env) {
      problems.push(
        `settings.env must not set ${reserved}: the platform sets it from the settings; got ${shown(s.env[reserved])}`,
      );
    }
  }
  problems.push(...ingressProblems(s, args.ingress));
  const version = args.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;
  if (!PSS_VERSION.test(version)) {
    problems.push(
      `podSecurityVersion must be "latest" or a minor version such as "v1.35"; got ${shown(version)}`,
    );
  }
  return problems;
}
