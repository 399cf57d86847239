import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DeepReadonly } from "../config/load";
import { RESERVED_ENV_NAMES, RESERVED_NAMESPACES, ServiceSettings } from "../config/schema";
import { assertValidArgs, shown } from "../lib/args";
import { imageRefProblem } from "../lib/images";
import { hasLoadBalancer, loadBalancerAnnotations, serviceSpec } from "../lib/exposure";
import { nlbExposure, usesAlb } from "../lib/front-door";
import { NAME_LIMITS } from "../lib/naming";
import { allowSpec, defaultDenySpec } from "../lib/network-policy";
import {
  DEFAULT_POD_SECURITY_VERSION,
  PORT_NAME,
  autoscalerSpec,
  namespaceLabels,
  pdbMinAvailable,
  podSpec,
  rollingUpdateStrategy,
  selectorLabels,
} from "../lib/workload";
import { PodIdentityRole } from "./pod-identity";
import * as links from "./service-links";
import { ServiceIngressArgs, exposeThroughAlb, ingressProblems } from "./service-ingress";

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

/**
 * One containerised service on the cluster, as the EKS Best Practices Guide and the Pod
 * Security Standard "restricted" ask: its own namespace enforcing PSS restricted, default-deny
 * network policies plus the few flows it needs, a dedicated service account (and an AWS role
 * only when it has AWS permissions), a hardened Deployment whose replica count the HPA owns, a
 * PodDisruptionBudget that never blocks a drain, and a ClusterIP Service (an Ingress on the
 * shared ALB when exposed over HTTP) or an NLB Service (when exposed over TCP).
 */
export class Service extends pulumi.ComponentResource {
  /** The namespace, named after the service. */
  public readonly namespace: pulumi.Output<string>;
  /** The Deployment. */
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The Kubernetes Service. */
  public readonly service: k8s.core.v1.Service;
  /** The in-cluster URL: `http://<name>.<name>.svc.cluster.local:<port>`. */
  public readonly internalUrl: string;
  /** The NLB's or the shared ALB's DNS name; undefined when the service is not exposed. */
  public readonly hostname?: pulumi.Output<string>;
  /** `https://<host>/`, `http://<alb>/<name>/` or `http://<nlb>:<port>`; undefined when not exposed. */
  public readonly url?: pulumi.Output<string>;
  /** The host under the stack's domain, from `ingress`; undefined without one. */
  public readonly host?: string;
  /** The service's own IAM role ARN; undefined without `settings.awsPolicyArns`. */
  public readonly roleArn?: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs(`Service "${name}"`, validateServiceArgs(name, args));
    super("platform:k8s:Service", name, {}, opts);
    const s = args.settings;
    const k8sOpts = { parent: this, provider: args.provider };
    const expose = nlbExposure(s); // the NLB's: "none" unless the service speaks TCP
    const alb = usesAlb(s);
    const loadBalanced = hasLoadBalancer(expose) || alb;
    const labels = { ...selectorLabels(name), "app.kubernetes.io/managed-by": "pulumi" };
    const version = args.podSecurityVersion ?? DEFAULT_POD_SECURITY_VERSION;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name, labels: { ...labels, ...namespaceLabels(version, loadBalanced) } } },
      k8sOpts,
    );
    this.namespace = namespace.metadata.name;
    const meta = (resourceName: string) => ({
      name: resourceName,
      namespace: this.namespace,
      labels,
    });

    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      { metadata: meta("default-deny"), spec: defaultDenySpec() },
      k8sOpts,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-allow`,
      {
        metadata: meta(`allow-${name}`),
        spec: allowSpec({
          name,
          port: s.port,
          loadBalanced: hasLoadBalancer(expose), // the ALB's own policy: exposeThroughAlb
          metrics: s.metrics,
          awsAccess: s.awsPolicyArns.length > 0,
        }),
      },
      k8sOpts,
    );
    links.callsNetworkPolicy(
      name,
      { ...args, port: s.port, metadata: meta(`calls-${name}`) },
      k8sOpts,
    );

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      { metadata: meta(name), automountServiceAccountToken: s.kubernetesApi },
      k8sOpts,
    );
    const secrets = args.secrets ?? [];
    const identity =
      s.awsPolicyArns.length > 0 || secrets.length > 0
        ? new PodIdentityRole(
            `${name}-aws`,
            {
              clusterName: args.clusterName!,
              namespace: this.namespace,
              serviceAccount: serviceAccount.metadata.name,
              policyArns: [...s.awsPolicyArns],
              // ASCP reads the secrets as the pod: this role, exactly the listed ARNs.
              inlinePolicy:
                secrets.length > 0 ? links.secretsPolicyJson(secrets, args.region!) : undefined,
              roleName: args.awsRoleName!,
              tags: args.tags,
            },
            { parent: this },
          )
        : undefined;
    this.roleArn = identity?.roleArn;
    const secretsClass = links.secretProviderClass(
      name,
      { ...args, namespace: this.namespace, labels },
      {
        ...k8sOpts,
        dependsOn: args.secretsDependsOn ?? [],
      },
    );

    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta(name),
        spec: {
          // No `replicas`: the HorizontalPodAutoscaler owns the count, and a value here would
          // reset it on every update.
          selector: { matchLabels: selectorLabels(name) },
          strategy: rollingUpdateStrategy(),
          revisionHistoryLimit: 5,
          template: {
            metadata: { labels },
            spec: podSpec({
              name,
              image: args.image,
              port: s.port,
              cpu: s.cpu,
              memory: s.memory,
              env: s.env,
              serviceAccountName: name,
              kubernetesApi: s.kubernetesApi,
              extraEnv: links.linkEnvironment(name, args),
              secretProviderClass: secretsClass ? links.SECRET_PROVIDER_CLASS : undefined,
            }),
          },
        },
      },
      // Pod Identity injects credentials when a pod is admitted, so the association comes first.
      // Behind an NLB, the controller's webhook must exist before the first pods, or they are
      // admitted without the readiness gate that holds a rollout until the target is healthy.
      {
        ...k8sOpts,
        dependsOn: [
          serviceAccount,
          ...(identity ? [identity.association] : []),
          ...(loadBalanced ? (args.loadBalancerDependsOn ?? []) : []),
          // The pods mount the secrets: the class (and the driver) first, and on destroy the
          // pods and their mounts go before the driver that unmounts them.
          ...(secretsClass ? [secretsClass, ...(args.secretsDependsOn ?? [])] : []),
          ...(args.nodesDependOn ?? []),
        ],
      },
    );

    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-autoscaler`,
      {
        metadata: meta(name),
        spec: autoscalerSpec(name, s.minReplicas, s.maxReplicas, s.targetCpuPercent),
      },
      { ...k8sOpts, dependsOn: [this.deployment] },
    );
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-disruption-budget`,
      {
        metadata: meta(name),
        spec: {
          minAvailable: pdbMinAvailable(s.minReplicas),
          selector: { matchLabels: selectorLabels(name) },
          // A crash-looping pod must not hold a node drain hostage.
          unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
      },
      k8sOpts,
    );

    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: {
          ...meta(name),
          ...(hasLoadBalancer(expose) ? { annotations: loadBalancerAnnotations(expose) } : {}),
        },
        spec: serviceSpec(name, s.port, expose),
      },
      // Destroy order: this Service goes first, while the controller can still remove the NLB
      // (its finalizer) and the nodes still hold the targets; then the controller and nodes.
      { ...k8sOpts, dependsOn: args.loadBalancerDependsOn ?? [] },
    );
    this.internalUrl = `http://${name}.${name}.svc.cluster.local:${s.port}`;
    if (alb) {
      const exposed = exposeThroughAlb(name, s.port, args.ingress!, meta(name), {
        ...k8sOpts,
        dependsOn: [...(args.loadBalancerDependsOn ?? []), this.service],
      });
      this.hostname = exposed.albHostname;
      this.url = exposed.url;
      this.host = args.ingress!.host;
    }
    if (hasLoadBalancer(expose)) {
      this.hostname = this.service.status.apply(
        (st) => st?.loadBalancer?.ingress?.[0]?.hostname ?? "",
      );
      this.url = pulumi.interpolate`http://${this.hostname}:${s.port}`;
    }

    if (args.serviceMonitor === true && s.metrics) {
      // One `pulumi up` suffices even though the release installs the ServiceMonitor CRD: the
      // Kubernetes provider accepts (Check) and skips the preview dry run of a kind the cluster
      // does not serve yet, and on create it refreshes API discovery and retries "no matches
      // for kind" (provider.go Create `!k.gvkExists`, clients.ResourceClient RESTMapper.Reset).
      // dependsOn only orders the real create after the release has installed the CRD.
      new k8s.apiextensions.CustomResource(
        `${name}-service-monitor`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: meta(name),
          spec: {
            selector: { matchLabels: selectorLabels(name) },
            namespaceSelector: { matchNames: [name] },
            endpoints: [
              { port: PORT_NAME, path: "/metrics", interval: "30s", scrapeTimeout: "10s" },
            ],
          },
        },
        { ...k8sOpts, dependsOn: [...(args.monitoringDependsOn ?? []), this.service] },
      );
    }

    this.registerOutputs({
      namespace: this.namespace,
      internalUrl: this.internalUrl,
      hostname: this.hostname,
      url: this.url,
      roleArn: this.roleArn,
    });
  }
}
