import type { PolicySubject } from "../../policy/rules";
import { field, ofType, refersTo, strings } from "../../policy/rules/util";

const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
const label = (...lines: string[]) =>
  `"${lines.map((l) => l.replace(/"/g, "#quot;")).join("<br/>")}"`;
const str = (v: unknown, fallback = "?") =>
  typeof v === "string" || typeof v === "number" ? String(v) : fallback;

/** The tags of a resource. */
const tagsOf = (r: PolicySubject) => (field(r, "tags") ?? {}) as Record<string, unknown>;

/**
 * A Mermaid flowchart of the stack's architecture, from its recorded resources: each VPC with
 * its AZs and subnets (NAT gateways in their public subnet), node groups inside the VPC, the
 * EKS control plane, the registry, and the Kubernetes services with their load balancers and
 * the Helm addons. GitHub renders it in a PR comment.
 */
export function architectureDiagram(resources: readonly PolicySubject[]): string {
  const out = ["flowchart LR"];
  const edges: string[] = [];
  const vpcs = ofType(resources, "aws:ec2/vpc:Vpc");
  const subnets = ofType(resources, "aws:ec2/subnet:Subnet");
  const nats = ofType(resources, "aws:ec2/natGateway:NatGateway");
  const nodeGroups = ofType(resources, "aws:eks/nodeGroup:NodeGroup");
  const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint");

  vpcs.forEach((vpc, v) => {
    out.push(
      `  subgraph ${id("vpc", vpc.name)}[${label(`VPC ${str(field(vpc, "cidrBlock"), "")}`)}]`,
    );
    const mine = subnets.filter((s) => refersTo(s, vpc, field(s, "vpcId")));
    const zones = [...new Set(mine.map((s) => str(field(s, "availabilityZone"))))].sort();
    for (const zone of zones) {
      out.push(`    subgraph ${id("az", `${vpc.name}_${zone}`)}[${label(zone)}]`);
      for (const s of mine.filter((x) => str(field(x, "availabilityZone")) === zone)) {
        const tier = "kubernetes.io/role/elb" in tagsOf(s) ? "public" : "private";
        const nat = nats.some((n) => refersTo(n, s, field(n, "subnetId")));
        out.push(
          `      ${id("sn", s.name)}[${label(`${tier} ${str(field(s, "cidrBlock"), "")}`, ...(nat ? ["NAT gateway"] : []))}]`,
        );
      }
      out.push("    end");
    }
    if (v === 0) {
      for (const ng of nodeGroups) {
        const types = strings(field(ng, "instanceTypes")).join(" / ") || "launch template";
        const size = field(ng, "scalingConfig") as Record<string, unknown> | undefined;
        out.push(
          `    ${id("ng", ng.name)}[${label(
            `node group ${ng.name}`,
            `${str(size?.desiredSize)} × ${types}, ${str(field(ng, "capacityType"), "ON_DEMAND")}`,
            `min ${str(size?.minSize)}, max ${str(size?.maxSize)}`,
          )}]`,
        );
      }
      const interfaces = endpoints.filter(
        (e) => field(e, "vpcEndpointType") === "Interface",
      ).length;
      const gateways = endpoints.length - interfaces;
      if (endpoints.length > 0) {
        out.push(
          `    ${id("ep", vpc.name)}[${label(`${interfaces} interface, ${gateways} gateway endpoint(s)`)}]`,
        );
      }
    }
    out.push("  end");
  });

  for (const c of ofType(resources, "aws:eks/cluster:Cluster")) {
    out.push(
      `  ${id("eks", c.name)}[${label(`EKS ${str(field(c, "name"), c.name)}`, `Kubernetes ${str(field(c, "version"))}`)}]`,
    );
    for (const ng of nodeGroups) edges.push(`  ${id("eks", c.name)} --> ${id("ng", ng.name)}`);
  }
  const repos = ofType(resources, "aws:ecr/repository:Repository");
  for (const r of repos)
    out.push(`  ${id("ecr", r.name)}[(${label(`ECR ${str(field(r, "name"), r.name)}`)})]`);

  const deployments = ofType(resources, "kubernetes:apps/v1:Deployment");
  const services = ofType(resources, "kubernetes:core/v1:Service");
  const releases = ofType(resources, "kubernetes:helm.sh/v3:Release");
  if (deployments.length + releases.length > 0) {
    out.push(`  subgraph k8s[${label("Kubernetes")}]`);
    for (const d of deployments) {
      const ns = str(field(d, "metadata.namespace"), "default");
      const hpa = ofType(resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").find(
        (h) => str(field(h, "metadata.namespace"), "default") === ns,
      );
      const replicas = hpa
        ? [`${str(field(hpa, "spec.minReplicas"))}-${str(field(hpa, "spec.maxReplicas"))} replicas`]
        : [];
      const name = str(field(d, "metadata.name"), d.name);
      out.push(`    ${id("svc", d.name)}[${label(`service ${ns}/${name}`, ...replicas)}]`);
      for (const r of repos) edges.push(`  ${id("ecr", r.name)} -. image .-> ${id("svc", d.name)}`);
      const lb = services.find(
        (s) =>
          field(s, "spec.type") === "LoadBalancer" &&
          str(field(s, "metadata.namespace"), "default") === ns,
      );
      if (lb) {
        const annotations = (field(lb, "metadata.annotations") ?? {}) as Record<string, unknown>;
        const scheme = str(
          annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
          "internal",
        );
        out.push(`    ${id("nlb", lb.name)}{{${label(`NLB ${scheme}`)}}}`);
        edges.push(`  ${id("nlb", lb.name)} --> ${id("svc", d.name)}`);
      }
    }
    if (releases.length > 0) {
      out.push(
        `    addons[${label("Helm", releases.map((r) => str(field(r, "chart"), r.name)).join(", "))}]`,
      );
    }
    out.push("  end");
    for (const ng of nodeGroups) edges.push(`  ${id("ng", ng.name)} --> k8s`);
  }
  return [...out, ...edges].join("\n");
}
