import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValidArgs } from "../lib/args";
import { hasLoadBalancer, loadBalancerAnnotations, serviceSpec } from "../lib/exposure";
import { nlbExposure, usesAlb } from "../lib/front-door";
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
import { internalUrlOf } from "../lib/service-calls";
import { PodIdentityRole } from "./pod-identity";
import * as links from "./service-links";
import { ServiceArgs, validateServiceArgs } from "./service-args";
import { exposeThroughAlb } from "./service-ingress";

export type { ServiceArgs } from "./service-args";
export { validateServiceArgs } from "./service-args";

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
    this.internalUrl = internalUrlOf({ name, port: s.port });
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
