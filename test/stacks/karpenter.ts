import { CHARTS } from "../../lib/charts";
import type { StackRun } from "../../tools/runner";
import { RecordedResource, findResource, ofType } from "../harness";
import { dependencyClosure } from "./expect";

const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
const NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const RELEASE = "kubernetes:helm.sh/v3:Release";

const one = (run: StackRun, type: string, name: string): RecordedResource =>
  findResource(run.resources, type, name);

/**
 * The Karpenter requirements every stack shares: the destroy order on the recorded edges (the
 * engine deletes a resource before everything in its dependency closure), the hardening of the
 * EC2NodeClass, the interruption wiring and the system node group's taint.
 */
export function describeKarpenter(getRun: () => StackRun): void {
  const run = () => getRun();
  const pools = () => ofType(run().resources, NODE_POOL);
  const nodeClass = () => one(run(), NODE_CLASS, "karpenter-nodeclass");
  const controller = () => one(run(), RELEASE, "karpenter");
  const crds = () => one(run(), RELEASE, "karpenter-crd");
  const urnsOf = (type: string, match: (r: RecordedResource) => boolean = () => true) =>
    ofType(run().resources, type)
      .filter(match)
      .map((r) => r.urn);

  describe("Karpenter", () => {
    it("installs the pinned controller and CRD charts from the OCI registry, CRDs in their own release", () => {
      expect(controller().inputs).toMatchObject({
        chart: "oci://public.ecr.aws/karpenter/karpenter",
        version: CHARTS.karpenter.version,
        namespace: "kube-system",
        skipCrds: true,
      });
      expect(crds().inputs).toMatchObject({
        chart: "oci://public.ecr.aws/karpenter/karpenter-crd",
        version: CHARTS.karpenter.version,
      });
    });

    it("deletes every service's Deployment before the NodePools its pods run on", () => {
      const poolUrns = pools().map((p) => p.urn);
      expect(poolUrns.length).toBeGreaterThan(0);
      for (const deployment of ofType(run().resources, "kubernetes:apps/v1:Deployment")) {
        expect(deployment.options.dependencies).toEqual(expect.arrayContaining(poolUrns));
      }
    });

    it("deletes the NodePools and the EC2NodeClass while the controller, its IAM, queue and node role still exist", () => {
      for (const pool of pools()) {
        expect(pool.options.dependencies).toEqual(
          expect.arrayContaining([nodeClass().urn, controller().urn]),
        );
      }
      const closure = dependencyClosure(run(), nodeClass());
      const needed = [
        controller().urn,
        crds().urn,
        ...urnsOf("aws:eks/accessEntry:AccessEntry", (r) => r.name === "karpenter-node"),
        ...urnsOf("aws:iam/role:Role", (r) => r.name === "karpenter-node"),
        ...urnsOf("aws:eks/podIdentityAssociation:PodIdentityAssociation", (r) =>
          r.name.startsWith("karpenter"),
        ),
        ...urnsOf("aws:sqs/queue:Queue"),
        ...urnsOf("aws:cloudwatch/eventRule:EventRule"),
        ...urnsOf("aws:ec2/tag:Tag", (r) => r.name === "karpenter-discovery"),
        ...urnsOf(
          "aws:ec2/subnet:Subnet",
          (r) => "karpenter.sh/discovery" in (r.inputs.tags as object),
        ),
      ];
      expect(needed.length).toBeGreaterThan(8);
      expect(needed.filter((urn) => !closure.has(urn))).toEqual([]);
    });

    it("waits up to 30 minutes for the EC2NodeClass and NodePool finalizers, longer than a node's drain", () => {
      expect(nodeClass().options.deleteTimeout).toBe("30m");
      for (const pool of pools()) expect(pool.options.deleteTimeout).toBe("30m");
    });

    it("runs the controller on the system node group, after coredns and the Pod Identity agent", () => {
      const deps = dependencyClosure(run(), controller());
      for (const urn of [
        ...urnsOf("aws:eks/nodeGroup:NodeGroup"),
        ...urnsOf("aws:eks/addon:Addon", (r) =>
          ["coredns", "eks-pod-identity-agent"].includes(r.inputs.addonName as string),
        ),
      ]) {
        expect(deps).toContain(urn);
      }
      const values = controller().inputs.values as Record<string, unknown>;
      expect(values.tolerations).toEqual([{ key: "CriticalAddonsOnly", operator: "Exists" }]);
      expect(JSON.stringify(values.affinity)).toContain(
        '"key":"karpenter.sh/nodepool","operator":"DoesNotExist"',
      );
    });

    it("taints the system node group so only add-ons that tolerate it run there", () => {
      for (const group of ofType(run().resources, "aws:eks/nodeGroup:NodeGroup")) {
        expect(group.inputs.taints).toEqual([
          { key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" },
        ]);
      }
      const configs = Object.fromEntries(
        ofType(run().resources, "aws:eks/addon:Addon").map((a) => [
          a.inputs.addonName,
          typeof a.inputs.configurationValues === "string" ? a.inputs.configurationValues : "",
        ]),
      );
      for (const addon of ["coredns", "metrics-server", "aws-ebs-csi-driver"]) {
        expect(configs[addon]).toContain('"key":"CriticalAddonsOnly"');
      }
      const lbc = ofType(run().resources, RELEASE).find(
        (r) => r.inputs.chart === "aws-load-balancer-controller",
      );
      expect((lbc?.inputs.values as { tolerations: unknown }).tolerations).toEqual([
        { key: "CriticalAddonsOnly", operator: "Exists" },
      ]);
    });

    it("hardens the nodes it launches: IMDSv2 with hop limit 1, encrypted gp3, no public IP, pinned AMI", () => {
      expect(nodeClass().inputs.spec).toMatchObject({
        amiSelectorTerms: [{ alias: expect.stringMatching(/^al2023@v\d{8}$/) }],
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ ebs: { encrypted: true, volumeType: "gp3" } }],
        associatePublicIPAddress: false,
      });
    });

    it("tags only the private subnets and the node security group for discovery", () => {
      const subnets = ofType(run().resources, "aws:ec2/subnet:Subnet");
      const tagged = subnets.filter((s) => "karpenter.sh/discovery" in (s.inputs.tags as object));
      expect(tagged.length).toBe(subnets.length / 2);
      for (const s of tagged) {
        expect(s.inputs.tags).toHaveProperty(["kubernetes.io/role/internal-elb"], "1");
      }
      expect(one(run(), "aws:ec2/tag:Tag", "karpenter-discovery").inputs.key).toBe(
        "karpenter.sh/discovery",
      );
    });

    it("feeds spot interruptions, rebalances, state changes and health events to an encrypted queue", () => {
      const queue = ofType(run().resources, "aws:sqs/queue:Queue")[0]!;
      expect(queue.inputs).toMatchObject({
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 300,
      });
      const patterns = ofType(run().resources, "aws:cloudwatch/eventRule:EventRule").map(
        (r) => JSON.parse(r.inputs.eventPattern as string)["detail-type"][0],
      );
      expect(patterns.sort()).toEqual([
        "AWS Health Event",
        "EC2 Instance Rebalance Recommendation",
        "EC2 Instance State-change Notification",
        "EC2 Spot Instance Interruption Warning",
      ]);
      expect(ofType(run().resources, "aws:cloudwatch/eventTarget:EventTarget")).toHaveLength(4);
    });

    it("lets the nodes join as EC2_LINUX nodes through an access entry", () => {
      expect(one(run(), "aws:eks/accessEntry:AccessEntry", "karpenter-node").inputs.type).toBe(
        "EC2_LINUX",
      );
    });
  });
}
