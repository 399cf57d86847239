import { RULES, evaluate, isBlocking } from "../../policy/rules";
import type { PolicySubject } from "../../policy/rules";
import { compliantStack, res, withAnnotation, withInput, withOptions, without } from "./fixtures";

type Mutation = (stack: PolicySubject[]) => PolicySubject[];
const set =
  (name: string, path: string, value: unknown): Mutation =>
  (s) =>
    withInput(s, name, path, value);
const remove =
  (name: string): Mutation =>
  (s) =>
    without(s, name);
const ALB = "alb.ingress.kubernetes.io";
const container = (path: string) => `spec.template.spec.containers.0.${path}`;
const worldOpenKeyPolicy = JSON.stringify({
  Statement: [
    { Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" },
  ],
});

/**
 * Each rule, from the compliant baseline with ONE change: [rule, failing resource, change,
 * words the reason must contain]. A rule may have several rows.
 */
const CASES: [string, string, Mutation, string][] = [
  [
    "secrets-read-exact-arns",
    "app-secrets",
    set(
      "app-secrets",
      "policy",
      JSON.stringify({
        Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }],
      }),
    ),
    "beyond exact secret ARNs",
  ],
  ["ecr-immutable-tags", "repo", set("repo", "imageTagMutability", "MUTABLE"), "IMMUTABLE"],
  // Unset is AWS's default, MUTABLE: the rule must not read it as compliant.
  [
    "ecr-immutable-tags",
    "repo",
    set("repo", "imageTagMutability", undefined),
    "MUTABLE (the default)",
  ],
  [
    "ecr-scan-on-push",
    "repo",
    set("repo", "imageScanningConfiguration.scanOnPush", false),
    "scanOnPush",
  ],
  [
    "ecr-kms-encryption",
    "repo",
    set("repo", "encryptionConfigurations", [{ encryptionType: "AES256" }]),
    "KMS",
  ],
  ["ecr-lifecycle-policy", "repo", remove("repo-lifecycle"), "LifecyclePolicy"],
  ["vpc-flow-logs", "vpc", remove("flow-log"), "FlowLog"],
  ["vpc-default-security-group-adopted", "vpc", remove("default-sg"), "DefaultSecurityGroup"],
  [
    "default-security-group-no-rules",
    "default-sg",
    set("default-sg", "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]),
    "1 rule",
  ],
  [
    "private-subnet-no-public-ip",
    "private-0",
    set("private-0", "mapPublicIpOnLaunch", true),
    "mapPublicIpOnLaunch",
  ],
  [
    "no-world-ingress-to-admin-ports",
    "cluster-sg-https",
    set("cluster-sg-https", "cidrIpv4", "0.0.0.0/0"),
    "port(s) 443",
  ],
  [
    "no-world-ingress-to-admin-ports",
    "cluster-sg",
    set("cluster-sg", "ingress", [
      { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
    ]),
    "port(s) 22",
  ],
  // A port range that spans the admin ports opens them as surely as naming them.
  [
    "no-world-ingress-to-admin-ports",
    "cluster-sg",
    set("cluster-sg", "ingress", [
      { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] },
    ]),
    "port(s) 22, 3389",
  ],
  ["nat-gateway-per-az", "vpc", remove("nat-1"), "1 NAT gateway(s) for 2 AZs"],
  ["eks-secrets-encryption", "cluster", set("cluster", "encryptionConfig", undefined), "secrets"],
  [
    "eks-control-plane-logs",
    "cluster",
    set("cluster", "enabledClusterLogTypes", ["api"]),
    "audit, authenticator",
  ],
  [
    "eks-control-plane-log-retention",
    "cluster",
    remove("cluster-logs"),
    "/aws/eks/platform-test/cluster",
  ],
  [
    "log-group-retention",
    "cluster-logs",
    set("cluster-logs", "retentionInDays", undefined),
    "never expire",
  ],
  // CloudWatch Logs reads a retention of 0 as "never expire", like no retention at all.
  [
    "log-group-retention",
    "cluster-logs",
    set("cluster-logs", "retentionInDays", 0),
    "never expire",
  ],
  [
    "eks-endpoint-not-world-open",
    "cluster",
    set("cluster", "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"]),
    "0.0.0.0/0",
  ],
  [
    "eks-endpoint-not-world-open",
    "cluster",
    set("cluster", "vpcConfig.publicAccessCidrs", undefined),
    "empty",
  ],
  [
    "eks-endpoint-not-world-open",
    "cluster",
    set("cluster", "vpcConfig.publicAccessCidrs", ["0.0.0.0/1", "128.0.0.0/1"]),
    "cover every IPv4 address",
  ],
  // EKS turns the public endpoint on when endpointPublicAccess is left unset.
  [
    "eks-endpoint-not-world-open",
    "cluster",
    (s) =>
      set(
        "cluster",
        "vpcConfig.publicAccessCidrs",
        undefined,
      )(set("cluster", "vpcConfig.endpointPublicAccess", undefined)(s)),
    "empty",
  ],
  [
    "eks-authentication-mode-api",
    "cluster",
    set("cluster", "accessConfig.authenticationMode", "API_AND_CONFIG_MAP"),
    "API_AND_CONFIG_MAP",
  ],
  ["eks-supported-version", "cluster", set("cluster", "version", "1.29"), '"1.29"'],
  [
    "eks-standard-support",
    "cluster",
    set("cluster", "upgradePolicy.supportType", "EXTENDED"),
    "EXTENDED",
  ],
  [
    "launch-template-imdsv2",
    "nodes-lt",
    set("nodes-lt", "metadataOptions.httpTokens", "optional"),
    "required",
  ],
  [
    "launch-template-imds-hop-limit",
    "nodes-lt",
    set("nodes-lt", "metadataOptions.httpPutResponseHopLimit", 2),
    "is 2",
  ],
  [
    "launch-template-encrypted-volumes",
    "nodes-lt",
    set("nodes-lt", "blockDeviceMappings.0.ebs.encrypted", "false"),
    "not encrypted",
  ],
  [
    "launch-template-no-public-ip",
    "nodes-lt",
    set("nodes-lt", "networkInterfaces", [{ associatePublicIpAddress: "true" }]),
    "associatePublicIpAddress",
  ],
  [
    "node-group-launch-template",
    "nodes",
    set("nodes", "launchTemplate", undefined),
    "launchTemplate",
  ],
  [
    "kms-key-rotation",
    "secrets-key",
    set("secrets-key", "enableKeyRotation", false),
    "enableKeyRotation",
  ],
  [
    "kms-no-wildcard-principal",
    "secrets-key",
    set("secrets-key", "policy", worldOpenKeyPolicy),
    "Anyone",
  ],
  [
    "iam-no-wildcard-admin",
    "deployer",
    set(
      "deployer",
      "policy",
      JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }),
    ),
    '"Action": "*"',
  ],
  [
    "stateful-resources-protected",
    "repo",
    (s) => withOptions(s, "repo", { protect: false }),
    "protect",
  ],
  // Options that do not say `protect` mean an unprotected resource: the rule fails closed.
  [
    "stateful-resources-protected",
    "repo",
    (s) => withOptions(s, "repo", { protect: undefined }),
    "protect",
  ],
  [
    "k8s-pod-security-restricted",
    "app",
    set("app", "spec.template.spec.securityContext.runAsUser", 0),
    "runAsUser",
  ],
  [
    "k8s-pod-security-restricted",
    "app",
    set("app", "spec.template.metadata.annotations", {
      "container.apparmor.security.beta.kubernetes.io/app": "unconfined",
    }),
    "apparmor",
  ],
  [
    "k8s-read-only-root-filesystem",
    "app",
    set("app", container("securityContext.readOnlyRootFilesystem"), false),
    "app",
  ],
  [
    "k8s-probes",
    "app",
    set("app", container("livenessProbe"), undefined),
    "app has no livenessProbe",
  ],
  ["k8s-resources", "app", set("app", container("resources.limits"), undefined), "limits.memory"],
  ["k8s-image-digest", "app", set("app", container("image"), "nginx:1.27"), "nginx:1.27"],
  [
    "k8s-topology-spread",
    "app",
    set("app", "spec.template.spec.topologySpreadConstraints", undefined),
    "topology.kubernetes.io/zone",
  ],
  ["k8s-min-replicas", "app", set("app-hpa", "spec.minReplicas", 1), "minReplicas is 1"],
  ["k8s-pdb-allows-disruption", "app", remove("app-pdb"), "no PodDisruptionBudget"],
  [
    "k8s-pdb-allows-disruption",
    "app",
    set("app-pdb", "spec.minAvailable", "100%"),
    "allows no eviction",
  ],
  ["k8s-hpa-above-pdb", "app-hpa", set("app-pdb", "spec.minAvailable", 3), "minReplicas 3"],
  ["helm-release-pinned", "lbc", set("lbc", "version", "^3.5.0"), "exact chart version"],
  ["helm-release-pinned", "lbc", set("lbc", "version", undefined), "unset"],
  [
    "alb-https-listener",
    "app-ingress",
    set("alb-params", "spec.certificateArn", undefined),
    "no certificate",
  ],
  [
    "alb-https-listener",
    "app-ingress",
    (s) => withAnnotation(s, "app-ingress", `${ALB}/listen-ports`, '[{"HTTP": 80}]'),
    "no HTTPS 443",
  ],
  [
    "alb-http-redirects",
    "app-ingress",
    (s) => withAnnotation(s, "app-ingress", `${ALB}/ssl-redirect`, undefined),
    'ssl-redirect is undefined, not "443"',
  ],
  ["alb-tls-policy", "alb-params", set("alb-params", "spec.sslPolicy", undefined), "2016-08"],
  [
    "alb-tls-policy",
    "alb-params",
    set("alb-params", "spec.sslPolicy", "ELBSecurityPolicy-TLS-1-1-2017-01"),
    "below 1.2",
  ],
  [
    "alb-drops-invalid-headers",
    "alb-params",
    set("alb-params", "spec.loadBalancerAttributes", []),
    "drop_invalid_header_fields",
  ],
  [
    "alb-deletion-protection",
    "alb-params",
    set("alb-params", "spec.loadBalancerAttributes", [
      { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
      { key: "deletion_protection.enabled", value: "false" },
      { key: "access_logs.s3.enabled", value: "true" },
      { key: "access_logs.s3.bucket", value: "b" },
    ]),
    'deletion_protection.enabled is "false"',
  ],
  [
    "alb-access-logs",
    "alb-params",
    set("alb-params", "spec.loadBalancerAttributes", [
      { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
      { key: "deletion_protection.enabled", value: "true" },
      { key: "access_logs.s3.enabled", value: "false" },
    ]),
    "access_logs.s3.enabled is not true",
  ],
  [
    "ec2nodeclass-imdsv2",
    "nodeclass",
    set("nodeclass", "spec.metadataOptions.httpTokens", "optional"),
    'httpTokens is "optional"',
  ],
  [
    "ec2nodeclass-imdsv2",
    "nodeclass",
    set("nodeclass", "spec.metadataOptions.httpPutResponseHopLimit", 2),
    "httpPutResponseHopLimit is 2",
  ],
  [
    "ec2nodeclass-encrypted-volumes",
    "nodeclass",
    set("nodeclass", "spec.blockDeviceMappings.0.ebs.encrypted", false),
    "1 block device mapping(s) are not encrypted",
  ],
  [
    "ec2nodeclass-encrypted-volumes",
    "nodeclass",
    set("nodeclass", "spec.blockDeviceMappings", undefined),
    "no spec.blockDeviceMappings",
  ],
  ["nodepool-limits", "pool", set("pool", "spec.limits", undefined), "no cpu or memory"],
  ["nodepool-limits", "pool", set("pool", "spec.limits.memory", undefined), "no memory"],
  [
    "pod-fits-nodepool",
    "app",
    set("app", container("resources.requests.cpu"), "16"),
    "requests 16 CPU and 128 MiB, more than the largest instance NodePool general allows (m6i.2xlarge",
  ],
  [
    "pod-fits-nodepool",
    "app",
    set("app", container("resources.requests.memory"), "40Gi"),
    "stay Pending forever",
  ],
  [
    "nodepool-limits-reach-max-replicas",
    "pool",
    set("pool", "spec.limits.cpu", "1"),
    "the autoscaler cannot reach maxReplicas of app: that needs 1 × m5.large (2 vCPU, 8 GiB) but the pool's limits are 1 CPU",
  ],
];

const findingsOf = (stack: PolicySubject[], ruleId: string, production = true) =>
  evaluate(stack, { production }).filter((f) => f.ruleId === ruleId);

describe("the policy rules", () => {
  it("pass on the compliant baseline, production rules included", () => {
    expect(evaluate(compliantStack(), { production: true })).toEqual([]);
  });

  it("each have at least one failing case below", () => {
    const covered = new Set(CASES.map(([id]) => id));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it("have unique ids and describe themselves", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) expect(rule.description.length).toBeGreaterThan(30);
  });

  it.each(CASES)("%s fails on %s when one property changes", (ruleId, resource, mutate, words) => {
    expect(findingsOf(compliantStack(), ruleId)).toEqual([]);
    const findings = findingsOf(mutate(compliantStack()), ruleId);
    expect(findings.map((f) => f.resource.name)).toEqual([resource]);
    expect(findings[0]?.reason).toContain(words);
  });
});

describe("enforcement", () => {
  const worldOpen = set("cluster", "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"])(compliantStack());

  it("makes a world-open API endpoint mandatory in production and advisory elsewhere", () => {
    expect(findingsOf(worldOpen, "eks-endpoint-not-world-open", true)[0]?.enforcement).toBe(
      "mandatory",
    );
    expect(findingsOf(worldOpen, "eks-endpoint-not-world-open", false)[0]?.enforcement).toBe(
      "advisory",
    );
  });

  it("blocks only on mandatory findings", () => {
    const [finding] = findingsOf(worldOpen, "eks-endpoint-not-world-open", false);
    expect(isBlocking(finding!)).toBe(false);
    expect(isBlocking({ ...finding!, enforcement: "mandatory" })).toBe(true);
  });

  it("finds a NAT instance a single point of failure too, advisory", () => {
    const base = remove("nat-0")(remove("nat-1")(compliantStack()));
    const subnet = base.find((r) => r.name === "public-0")!;
    const stack = [
      ...base,
      res(
        "aws:ec2/networkInterface:NetworkInterface",
        "nat-instance",
        { subnetId: "public-0-id", sourceDestCheck: false },
        { deps: [subnet.urn] },
      ),
    ];
    const [finding] = findingsOf(stack, "nat-gateway-per-az", false);
    expect(finding?.reason).toBe(
      "1 NAT instance(s) for 2 AZs: a single point of failure (its Auto Scaling group replaces it in minutes)",
    );
    expect(finding?.enforcement).toBe("advisory");
  });

  it("keeps a single NAT gateway advisory even in production", () => {
    const single = remove("nat-1")(compliantStack());
    expect(findingsOf(single, "nat-gateway-per-az", true)[0]?.enforcement).toBe("advisory");
  });

  it("sorts findings by severity first", () => {
    const stack = set(
      "cluster",
      "upgradePolicy.supportType",
      "EXTENDED",
    )(set("repo", "imageTagMutability", "MUTABLE")(compliantStack()));
    expect(evaluate(stack, { production: true }).map((f) => f.severity)).toEqual(["high", "low"]);
  });
});

describe("the shared ALB's rules", () => {
  it("let an internal ALB or a dev ALB without a domain serve plain HTTP", () => {
    const internal = set(
      "alb-params",
      "spec.scheme",
      "internal",
    )(set("alb-params", "spec.certificateArn", undefined)(compliantStack()));
    expect(findingsOf(internal, "alb-https-listener")).toEqual([]);
    const dev = set("alb-params", "spec.certificateArn", undefined)(compliantStack());
    expect(findingsOf(dev, "alb-https-listener", false).map((f) => f.enforcement)).toEqual([
      "advisory",
    ]);
  });

  it("accept any TLS 1.2+ policy, and no policy where there is no certificate", () => {
    const tls12 = set("alb-params", "spec.sslPolicy", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06");
    expect(findingsOf(tls12(compliantStack()), "alb-tls-policy")).toEqual([]);
    const plain = set(
      "alb-params",
      "spec.certificateArn",
      undefined,
    )(set("alb-params", "spec.sslPolicy", undefined)(compliantStack()));
    expect(findingsOf(plain, "alb-tls-policy")).toEqual([]);
  });
});

describe("rules read the shapes the providers take", () => {
  it("treat the launch template's string booleans as booleans", () => {
    const stack = set("nodes-lt", "blockDeviceMappings.0.ebs.encrypted", true)(compliantStack());
    expect(findingsOf(stack, "launch-template-encrypted-volumes")).toEqual([]);
  });

  it("find a PDB's workload by labels and an HPA's by dependency when names are computed", () => {
    const stack = set(
      "app-hpa",
      "spec.scaleTargetRef.name",
      undefined,
    )(set("app", "metadata.name", undefined)(compliantStack()));
    expect(findingsOf(stack, "k8s-min-replicas")).toEqual([]);
    expect(
      findingsOf(set("app-hpa", "spec.minReplicas", 1)(stack), "k8s-min-replicas"),
    ).toHaveLength(1);
  });

  it("accept a wildcard key principal narrowed by a condition", () => {
    const narrowed = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "kms:CallerAccount": "123456789012" } },
        },
      ],
    });
    expect(
      findingsOf(
        set("secrets-key", "policy", narrowed)(compliantStack()),
        "kms-no-wildcard-principal",
      ),
    ).toEqual([]);
  });

  it("name an open KMS statement without a Sid by its position in the key policy", () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Sid: "Root",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::1:root" },
          Action: "kms:*",
        },
        { Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" },
      ],
    });
    const [finding] = findingsOf(
      set("secrets-key", "policy", policy)(compliantStack()),
      "kms-no-wildcard-principal",
    );
    expect(finding?.reason).toBe("statement(s) #1 allow any principal with no condition");
  });

  it("allow 443 from the internet on a security group no cluster uses (an NLB's)", () => {
    const stack = set(
      "cluster-sg-https",
      "cidrIpv4",
      "0.0.0.0/0",
    )(
      set(
        "cluster",
        "vpcConfig.securityGroupIds",
        [],
      )(withOptions(compliantStack(), "cluster", { dependencies: [] })),
    );
    expect(findingsOf(stack, "no-world-ingress-to-admin-ports")).toEqual([]);
  });

  it("count a percentage minAvailable against the HPA minimum, rounded up", () => {
    expect(
      findingsOf(set("app-pdb", "spec.minAvailable", "66%")(compliantStack()), "k8s-hpa-above-pdb"),
    ).toEqual([]);
    expect(
      findingsOf(set("app-pdb", "spec.minAvailable", "67%")(compliantStack()), "k8s-hpa-above-pdb"),
    ).toHaveLength(1);
  });
});
