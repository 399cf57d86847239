import type { EksCluster } from "../../../components/eks";
import { ADDON_VERSIONS, EKS_ADDONS } from "../../../lib/versions";
import { RecordedResource, findResource, ofType, useMocks, valueOf } from "../../harness";
import {
  DEPLOYER_ROLE_ARN,
  DEV,
  T,
  childrenOfCluster,
  isSecret,
  plain,
  policyOf,
  urns,
} from "./fixtures";

let resources: RecordedResource[];
let done: () => Promise<void>;
let eks: EksCluster;
let kids: RecordedResource[];
let note: string;

beforeAll(async () => {
  ({ resources, done } = await useMocks({ stack: "dev" }));
  const { EksCluster } = await import("../../../components/eks");
  eks = new EksCluster("dev", DEV);
  note = await valueOf(eks.adminAccessNote);
  await valueOf(eks.kubeconfig);
  await new Promise((resolve) => setTimeout(resolve, 100));
  kids = childrenOfCluster(resources, "dev");
});
afterAll(() => done());

const one = (type: string, name: string) => findResource(kids, type, name);
const cluster = () => one(T.cluster, "dev-cluster");

describe("EksCluster, dev settings: control plane", () => {
  it("registers as platform:eks:Cluster with every resource parented to it", () => {
    expect(ofType(resources, T.component).map((r) => r.name)).toEqual(["dev"]);
    const others = resources.filter((r) => r.parent !== "" && r.type !== T.component);
    expect(others).toEqual(kids);
    const count = (type: string) => ofType(kids, type).length;
    expect(Object.fromEntries(Object.values(T).map((t) => [t, count(t)]))).toEqual({
      [T.cluster]: 1,
      [T.nodeGroup]: 1,
      [T.launchTemplate]: 1,
      [T.addon]: 6,
      [T.accessEntry]: 1,
      [T.association]: 1,
      [T.podIdentity]: 1,
      [T.role]: 3,
      [T.attachment]: 5,
      [T.oidc]: 1,
      [T.key]: 1,
      [T.alias]: 1,
      [T.logGroup]: 1,
      [T.securityGroupRule]: 0,
      [T.storageClass]: 1,
      [T.k8sProvider]: 1,
      [T.component]: 0,
    });
    expect(kids).toHaveLength(26);
  });

  it("gives the cluster role only AmazonEKSClusterPolicy, trusted by EKS", () => {
    const role = one(T.role, "dev-cluster");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole"] },
    ]);
    const attached = ofType(kids, T.attachment).filter((a) => a.name.startsWith("dev-cluster-"));
    expect(attached.map((a) => a.inputs.policyArn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    ]);
  });

  it("encrypts Kubernetes secrets with a rotating customer key the cluster role may use", () => {
    const key = one(T.key, "dev-secrets");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 7 });
    const statements = policyOf(key, "policy").Statement;
    expect(statements.map((s) => [s.Sid, s.Principal.AWS, s.Action])).toEqual([
      ["AccountRootAdministers", "arn:aws:iam::123456789012:root", "kms:*"],
      [
        "EksClusterRoleEncryptsSecrets",
        expect.stringContaining("dev-cluster"),
        ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"],
      ],
    ]);
    expect(cluster().inputs.encryptionConfig).toEqual({
      resources: ["secrets"],
      provider: { keyArn: expect.stringContaining("dev-secrets") },
    });
    expect(one(T.alias, "dev-secrets").inputs.name).toBe("alias/platform-dev-eks-secrets");
  });

  it("creates the control-plane log group before the cluster, with the configured retention", () => {
    const logs = one(T.logGroup, "dev-control-plane");
    expect(logs.inputs).toMatchObject({
      name: "/aws/eks/platform-dev/cluster",
      retentionInDays: 30,
    });
    expect(cluster().options.dependencies).toContain(logs.urn);
    expect(cluster().inputs.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator"]);
  });

  it("runs the configured version on standard support, authenticating by access entries only", () => {
    expect(cluster().inputs).toMatchObject({
      name: "platform-dev",
      version: "1.35",
      upgradePolicy: { supportType: "STANDARD" },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      bootstrapSelfManagedAddons: false,
    });
  });

  it("sets the Kubernetes service CIDR explicitly, outside the VPC range", () => {
    expect(cluster().inputs.kubernetesNetworkConfig).toEqual({
      ipFamily: "ipv4",
      serviceIpv4Cidr: "172.20.0.0/16",
    });
  });

  it("keeps the private endpoint on and opens the public one to the configured CIDRs", () => {
    expect(cluster().inputs.vpcConfig).toEqual({
      subnetIds: ["subnet-private-a", "subnet-private-b"],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["0.0.0.0/0"],
    });
  });

  it("leaves deletion protection off and no resource protected", () => {
    expect(cluster().inputs.deletionProtection).toBe(false);
    expect(kids.filter((r) => r.options.protect)).toEqual([]);
  });

  it("adds no rule to the cluster security group EKS creates, and puts the nodes in it", async () => {
    const sgId = await valueOf(eks.clusterSecurityGroupId);
    expect(sgId).toMatch(/^sg-/);
    expect(kids.filter((r) => /securityGroup/i.test(r.type))).toEqual([]);
    const nic = (one(T.launchTemplate, "dev-general").inputs.networkInterfaces as object[])[0];
    expect(nic).toMatchObject({ securityGroups: [sgId] });
  });

  it("creates an IRSA OIDC provider for the cluster's issuer, with no thumbprint", async () => {
    const oidc = one(T.oidc, "dev-oidc");
    const issuer = await valueOf(eks.oidcIssuer);
    expect(issuer).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(oidc.inputs).toMatchObject({ url: issuer, clientIdLists: ["sts.amazonaws.com"] });
    expect(oidc.inputs.thumbprintLists).toBeUndefined();
    expect(await valueOf(eks.oidcProviderArn)).toBe(
      `arn:aws:iam::123456789012:oidc-provider/${issuer.slice("https://".length)}`,
    );
  });
});

describe("EksCluster, dev settings: access", () => {
  it("grants cluster admin to the deploying identity's role when no admin is configured", () => {
    const entries = ofType(kids, T.accessEntry);
    expect(entries.map((e) => [e.name, e.inputs.principalArn, e.inputs.type])).toEqual([
      ["dev-admin-deployer", DEPLOYER_ROLE_ARN, "STANDARD"],
    ]);
    expect(ofType(kids, T.association).map((a) => a.inputs)).toEqual([
      {
        clusterName: "platform-dev",
        principalArn: DEPLOYER_ROLE_ARN,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        accessScope: { type: "cluster" },
      },
    ]);
  });

  it("says in an output that the deployer was made admin", () => {
    expect(note).toBe(
      `No cluster admins are configured, so cluster admin was granted to the identity that ran the deployment: ${DEPLOYER_ROLE_ARN}. List admins explicitly to choose who administers the cluster.`,
    );
  });
});

describe("EksCluster, dev settings: node group", () => {
  const group = () => one(T.nodeGroup, "dev-general");

  it("runs SPOT t3.medium and t3a.medium nodes on the x86 AL2023 AMI, 1/2/3, in every private subnet", () => {
    expect(group().inputs).toMatchObject({
      clusterName: "platform-dev",
      version: "1.35",
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "SPOT",
      instanceTypes: ["t3.medium", "t3a.medium"],
      scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 },
      subnetIds: ["subnet-private-a", "subnet-private-b"],
      labels: {},
      taints: [],
    });
  });

  it("ignores desiredSize drift so an autoscaler can own the node count", () => {
    expect(group().options.ignoreChanges).toEqual(["scalingConfig.desiredSize"]);
  });

  it("replaces at most 33% of the nodes at a time", () => {
    expect(group().inputs.updateConfig).toEqual({ maxUnavailablePercentage: 33 });
  });

  it("waits for the node role's policies and the addons nodes need to become Ready", () => {
    const needed = [
      ...ofType(kids, T.attachment).filter((a) => a.name.startsWith("dev-ng-general-")),
      ...["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].map((a) => one(T.addon, `dev-${a}`)),
    ];
    expect(needed).toHaveLength(6);
    expect(group().options.dependencies).toEqual(expect.arrayContaining(urns(needed)));
  });

  it("gives nodes the worker, CNI and ECR pull-only policies, trusted by EC2", () => {
    const role = one(T.role, "dev-ng-general");
    expect(policyOf(role, "assumeRolePolicy").Statement[0]?.Principal).toEqual({
      Service: "ec2.amazonaws.com",
    });
    const attached = ofType(kids, T.attachment).filter((a) => a.name.startsWith("dev-ng-general-"));
    expect(attached.map((a) => a.inputs.policyArn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
    ]);
  });

  it("launches nodes with IMDSv2 only (hop limit 1), an encrypted gp3 root volume and no public IP", () => {
    const lt = one(T.launchTemplate, "dev-general");
    expect(lt.inputs.metadataOptions).toEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
    expect(lt.inputs.blockDeviceMappings).toEqual([
      {
        deviceName: "/dev/xvda",
        ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
      },
    ]);
    const nics = lt.inputs.networkInterfaces as Record<string, unknown>[];
    expect(nics).toHaveLength(1);
    expect(nics[0]).toMatchObject({ deviceIndex: 0, associatePublicIpAddress: "false" });
    // Managed node groups reject these in a launch template.
    expect(nics[0]?.subnetId).toBeUndefined();
    expect(lt.inputs.iamInstanceProfile).toBeUndefined();
    expect(group().inputs.launchTemplate).toEqual({ id: "dev-general-id", version: "1" });
  });

  it("tags instances, volumes and network interfaces at launch", () => {
    const specs = one(T.launchTemplate, "dev-general").inputs.tagSpecifications as {
      resourceType: string;
      tags: Record<string, string>;
    }[];
    expect(specs.map((s) => s.resourceType)).toEqual(["instance", "volume", "network-interface"]);
    for (const s of specs) {
      expect(s.tags).toEqual({ ...DEV.tags, Name: "platform-dev-general" });
    }
  });
});

describe("EksCluster, dev settings: addons and storage", () => {
  it("installs the six managed addons at the versions pinned for 1.35", () => {
    const addons = ofType(kids, T.addon);
    expect(
      Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion])),
    ).toEqual(ADDON_VERSIONS["1.35"]);
    expect(addons).toHaveLength(EKS_ADDONS.length);
    for (const a of addons) {
      expect(a.inputs).toMatchObject({
        clusterName: "platform-dev",
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
      });
    }
  });

  it("turns on NetworkPolicy enforcement in the VPC CNI", () => {
    const cni = one(T.addon, "dev-vpc-cni");
    expect(JSON.parse(cni.inputs.configurationValues as string)).toEqual({
      enableNetworkPolicy: "true",
    });
  });

  it("installs coredns, metrics-server and the EBS CSI driver after the node groups", () => {
    const group = one(T.nodeGroup, "dev-general");
    for (const a of ["coredns", "metrics-server", "aws-ebs-csi-driver"]) {
      expect(one(T.addon, `dev-${a}`).options.dependencies).toContain(group.urn);
    }
  });

  it("gives the EBS CSI controller its own role through Pod Identity", () => {
    const role = one(T.role, "dev-ebs-csi");
    expect(policyOf(role, "assumeRolePolicy").Statement[0]).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
    const attached = ofType(kids, T.attachment).filter((a) => a.name.startsWith("dev-ebs-csi-"));
    expect(attached.map((a) => a.inputs.policyArn)).toEqual([
      "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    ]);
    const association = one(T.podIdentity, "dev-ebs-csi");
    expect(association.inputs).toMatchObject({
      clusterName: "platform-dev",
      namespace: "kube-system",
      serviceAccount: "ebs-csi-controller-sa",
      roleArn: expect.stringContaining("dev-ebs-csi"),
    });
    expect(one(T.addon, "dev-aws-ebs-csi-driver").options.dependencies).toContain(association.urn);
  });

  it("makes an encrypted gp3 StorageClass the default, deployed through the cluster's provider", () => {
    const sc = one(T.storageClass, "dev-gp3");
    expect(sc.inputs).toMatchObject({
      metadata: {
        name: "gp3",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
    });
    expect(sc.provider).toContain(one(T.k8sProvider, "dev-k8s").urn);
    expect(eks.storageClassName).toBe("gp3");
  });
});

describe("EksCluster, dev settings: access from a laptop", () => {
  it("exports a secret kubeconfig that runs aws eks get-token, with no profile baked in", async () => {
    const provider = one(T.k8sProvider, "dev-k8s");
    expect(isSecret(provider.inputs.kubeconfig)).toBe(true);
    const config = JSON.parse(await valueOf(eks.kubeconfig)) as {
      clusters: { cluster: { server: string } }[];
      users: { user: { exec: { command: string; args: string[]; env?: unknown } } }[];
    };
    expect(config.clusters[0]?.cluster.server).toBe(await valueOf(eks.endpoint));
    const exec = config.users[0]?.user.exec;
    expect(exec?.command).toBe("aws");
    expect(exec?.args).toEqual([
      "eks",
      "get-token",
      "--cluster-name",
      "platform-dev",
      "--region",
      "us-east-1",
      "--output",
      "json",
    ]);
    expect(exec?.env).toBeUndefined();
  });

  it("builds the Kubernetes provider from the kubeconfig, after access has been granted", async () => {
    const provider = one(T.k8sProvider, "dev-k8s");
    expect(plain(provider.inputs.kubeconfig)).toBe(await valueOf(eks.kubeconfig));
    expect(provider.options.dependencies).toEqual(
      expect.arrayContaining(urns(ofType(kids, T.association))),
    );
  });

  it("outputs the update-kubeconfig command in the clear", () => {
    expect(eks.updateKubeconfigCommand).toBe(
      "aws eks update-kubeconfig --name platform-dev --region us-east-1",
    );
  });

  it("exposes the cluster name, for Pod Identity associations and the platform addons", async () => {
    expect(await valueOf(eks.clusterName)).toBe("platform-dev");
    expect(Object.keys(eks.nodeGroups)).toEqual(["general"]);
    expect(Object.keys(eks.addons).sort()).toEqual([...EKS_ADDONS].sort());
  });
});

describe("EksCluster, dev settings: tags", () => {
  it("tags every taggable child with the stack's tags and a Name", () => {
    const taggable = kids.filter((r) => r.custom && "tags" in r.inputs);
    expect(taggable.length).toBeGreaterThan(15);
    for (const r of taggable) {
      expect({ resource: r.name, tags: r.inputs.tags }).toEqual({
        resource: r.name,
        tags: { ...DEV.tags, Name: expect.any(String) },
      });
    }
    const untagged = kids.filter(
      (r) => r.custom && !("tags" in r.inputs) && r.type.startsWith("aws:"),
    );
    expect(untagged.map((r) => r.type).sort()).toEqual(
      expect.arrayContaining([T.attachment, T.association, T.alias]),
    );
    expect(new Set(untagged.map((r) => r.type))).toEqual(
      new Set([T.attachment, T.association, T.alias]),
    );
  });
});
