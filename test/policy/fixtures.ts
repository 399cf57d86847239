import { DEFAULT_NODE_POOLS } from "../../config/node-pools";
import { nodeClassSpec } from "../../lib/karpenter";
import { nodePoolSpec } from "../../lib/node-pools";
import type { PolicySubject } from "../../policy/rules";

/** A hand-built resource: URN from type and name, dependencies by resource name. */
export function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  opts: { deps?: string[]; parent?: string; protect?: boolean } = {},
): PolicySubject {
  return {
    type,
    name,
    urn: urnOf(type, name),
    parent: opts.parent ?? "",
    inputs,
    options: { protect: opts.protect ?? false, dependencies: opts.deps ?? [] },
  };
}

const types = new Map<string, string>();
function urnOf(type: string, name: string): string {
  types.set(name, type);
  return `urn:pulumi:test::platform::${type}::${name}`;
}
/** The URN of a fixture resource by name. */
export const urn = (name: string) => `urn:pulumi:test::platform::${types.get(name)}::${name}`;

const DIGEST = `123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-test/app@sha256:${"a".repeat(64)}`;

/** A pod spec meeting every workload rule. */
export function compliantPodSpec(): Record<string, unknown> {
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
      },
    ],
    containers: [
      {
        name: "app",
        image: DIGEST,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
        readinessProbe: { httpGet: { path: "/readyz", port: "http" } },
        livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ["ALL"] },
        },
      },
    ],
    volumes: [{ name: "tmp", emptyDir: {} }],
  };
}

const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

/**
 * A small stack that passes every rule, production settings included: one of each resource a
 * rule checks, wired by dependencies the way the engine records them.
 */
export function compliantStack(): PolicySubject[] {
  const tags = { Name: "x" };
  return [
    res("pulumi:pulumi:Stack", "platform-test", {}),
    res(
      "aws:ecr/repository:Repository",
      "repo",
      {
        name: "platform-test/app",
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS" }],
      },
      { protect: true },
    ),
    res(
      "aws:ecr/lifecyclePolicy:LifecyclePolicy",
      "repo-lifecycle",
      { repository: "platform-test/app", policy: "{}" },
      { deps: [urn("repo")] },
    ),
    res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16", tags }, { protect: true }),
    ...["a", "b"].flatMap((az, i) => [
      res(
        "aws:ec2/subnet:Subnet",
        `public-${i}`,
        {
          vpcId: "vpc-id",
          availabilityZone: `us-east-1${az}`,
          mapPublicIpOnLaunch: false,
          tags: { "kubernetes.io/role/elb": "1" },
        },
        { deps: [urn("vpc")], protect: true },
      ),
      res(
        "aws:ec2/subnet:Subnet",
        `private-${i}`,
        {
          vpcId: "vpc-id",
          availabilityZone: `us-east-1${az}`,
          mapPublicIpOnLaunch: false,
          tags: { "kubernetes.io/role/internal-elb": "1" },
        },
        { deps: [urn("vpc")], protect: true },
      ),
      res("aws:ec2/eip:Eip", `nat-ip-${i}`, { domain: "vpc" }),
    ]),
    res(
      "aws:ec2/natGateway:NatGateway",
      "nat-0",
      { subnetId: "public-0-id" },
      { deps: [urn("public-0")] },
    ),
    res(
      "aws:ec2/natGateway:NatGateway",
      "nat-1",
      { subnetId: "public-1-id" },
      { deps: [urn("public-1")] },
    ),
    res(
      "aws:ec2/flowLog:FlowLog",
      "flow-log",
      { vpcId: "vpc-id", trafficType: "ALL" },
      { deps: [urn("vpc")] },
    ),
    res(
      "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
      "default-sg",
      { vpcId: "vpc-id" },
      { deps: [urn("vpc")] },
    ),
    res("aws:ec2/securityGroup:SecurityGroup", "cluster-sg", {
      vpcId: "vpc-id",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }],
    }),
    res(
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "cluster-sg-https",
      {
        securityGroupId: "cluster-sg-id",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "10.0.0.0/16",
      },
      { deps: [urn("cluster-sg")] },
    ),
    res(
      "aws:kms/key:Key",
      "secrets-key",
      {
        enableKeyRotation: true,
        policy: policy({
          Sid: "Root",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        }),
      },
      { protect: true },
    ),
    res(
      "aws:cloudwatch/logGroup:LogGroup",
      "cluster-logs",
      { name: "/aws/eks/platform-test/cluster", retentionInDays: 90 },
      { protect: true },
    ),
    res(
      "aws:eks/cluster:Cluster",
      "cluster",
      {
        name: "platform-test",
        version: "1.35",
        encryptionConfig: {
          resources: ["secrets"],
          provider: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/x" },
        },
        enabledClusterLogTypes: ["api", "audit", "authenticator"],
        vpcConfig: {
          endpointPublicAccess: true,
          publicAccessCidrs: ["203.0.113.0/24"],
          securityGroupIds: ["cluster-sg-id"],
        },
        accessConfig: { authenticationMode: "API" },
        upgradePolicy: { supportType: "STANDARD" },
      },
      { deps: [urn("secrets-key"), urn("cluster-logs"), urn("cluster-sg")], protect: true },
    ),
    res("aws:ec2/launchTemplate:LaunchTemplate", "nodes-lt", {
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50, volumeType: "gp3" } },
      ],
    }),
    res(
      "aws:eks/nodeGroup:NodeGroup",
      "nodes",
      {
        clusterName: "platform-test",
        instanceTypes: ["m6i.large"],
        capacityType: "ON_DEMAND",
        scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 9 },
        launchTemplate: { id: "nodes-lt-id", version: "1" },
      },
      { deps: [urn("cluster"), urn("nodes-lt")], protect: true },
    ),
    res("aws:iam/policy:Policy", "deployer", {
      policy: policy({ Effect: "Allow", Action: ["eks:DescribeCluster"], Resource: "*" }),
    }),
    res("aws:iam/rolePolicy:RolePolicy", "flow-logs", {
      policy: policy({
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: "arn:aws:logs:*:*:*",
      }),
    }),
    // A service's secrets (components/service-links.ts): exact ARNs, a named key via Secrets Manager.
    res("aws:iam/rolePolicy:RolePolicy", "app-secrets", {
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadListedSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbC123"],
          },
        ],
      }),
    }),
    res("kubernetes:apps/v1:Deployment", "app", {
      metadata: { name: "app", namespace: "app" },
      spec: {
        selector: { matchLabels: { "app.kubernetes.io/name": "app" } },
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "app" } },
          spec: compliantPodSpec(),
        },
      },
    }),
    res(
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
      "app-hpa",
      {
        metadata: { name: "app", namespace: "app" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "app" },
          minReplicas: 3,
          maxReplicas: 10,
        },
      },
      { deps: [urn("app")] },
    ),
    res("kubernetes:policy/v1:PodDisruptionBudget", "app-pdb", {
      metadata: { name: "app", namespace: "app" },
      spec: { minAvailable: 2, selector: { matchLabels: { "app.kubernetes.io/name": "app" } } },
    }),
    res("kubernetes:helm.sh/v3:Release", "lbc", {
      chart: "aws-load-balancer-controller",
      version: "3.5.0",
    }),
    res("kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "alb-params", {
      metadata: { name: "platform-test-internet" },
      spec: {
        group: { name: "platform-test-internet" },
        scheme: "internet-facing",
        certificateArn: ["arn:aws:acm:us-east-1:123456789012:certificate/abc"],
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        loadBalancerAttributes: [
          { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
          { key: "deletion_protection.enabled", value: "true" },
          { key: "access_logs.s3.enabled", value: "true" },
          { key: "access_logs.s3.bucket", value: "platform-test-alb-logs" },
          { key: "access_logs.s3.prefix", value: "alb" },
        ],
      },
    }),
    res(
      "kubernetes:networking.k8s.io/v1:Ingress",
      "app-ingress",
      {
        metadata: {
          name: "app",
          namespace: "app",
          annotations: {
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
            "alb.ingress.kubernetes.io/ssl-redirect": "443",
          },
        },
        spec: { ingressClassName: "platform-test-internet" },
      },
      { deps: [urn("alb-params")] },
    ),
    res("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "nodeclass", {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "default" },
      spec: nodeClassSpec({
        clusterName: "platform-test",
        nodeRoleName: "karpenter-node",
        amiAlias: "al2023@v20260903",
        tags,
      }),
    }),
    res(
      "kubernetes:karpenter.sh/v1:NodePool",
      "pool",
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "general" },
        spec: nodePoolSpec(DEFAULT_NODE_POOLS.general),
      },
      { deps: [urn("nodeclass")] },
    ),
  ];
}

/** A copy of the stack with one annotation of one resource set (undefined deletes it). */
export function withAnnotation(
  stack: PolicySubject[],
  name: string,
  key: string,
  value: string | undefined,
): PolicySubject[] {
  return stack.map((r) => {
    if (r.name !== name) return r;
    const inputs = structuredClone(r.inputs) as {
      metadata: { annotations: Record<string, string> };
    };
    if (value === undefined) delete inputs.metadata.annotations[key];
    else inputs.metadata.annotations[key] = value;
    return { ...r, inputs };
  });
}

/** A copy of the stack with one input of one resource set (undefined deletes it). */
export function withInput(
  stack: PolicySubject[],
  name: string,
  path: string,
  value: unknown,
): PolicySubject[] {
  return stack.map((r) => {
    if (r.name !== name) return r;
    const inputs = structuredClone(r.inputs) as Record<string, unknown>;
    const keys = path.split(".");
    let target: Record<string, unknown> = inputs;
    for (const k of keys.slice(0, -1)) {
      target[k] ??= {};
      target = target[k] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (value === undefined) delete target[last];
    else target[last] = value;
    return { ...r, inputs };
  });
}

/** A copy of the stack without a resource. */
export function without(stack: PolicySubject[], name: string): PolicySubject[] {
  return stack.filter((r) => r.name !== name);
}

/** A copy of the stack with a resource's options changed. */
export function withOptions(
  stack: PolicySubject[],
  name: string,
  options: PolicySubject["options"],
): PolicySubject[] {
  return stack.map((r) => (r.name === name ? { ...r, options: { ...r.options, ...options } } : r));
}
