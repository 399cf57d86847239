import type { PolicySubject } from "../../policy/rules";
import { parseArgs } from "../../tools/report/args";
import { buildReport, toJson } from "../../tools/report/build";
import { architectureDiagram } from "../../tools/report/diagram";
import { money, quantity, treeLines, unitPrice } from "../../tools/report/format";
import { diffInventories, inventory, stackNeutral } from "../../tools/report/inventory";
import { renderMarkdown } from "../../tools/report/markdown";
import { renderTable } from "../../tools/report/table";
import { compliantStack, res, withInput } from "../policy/fixtures";

const STACK_URN = "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test";

/** The compliant fixture under a stack and two components, as the runner records it. */
function recordedStack(): PolicySubject[] {
  const vpc = res("platform:network:Vpc", "network", {}, { parent: STACK_URN });
  const k8s = res("platform:k8s:Service", "app", {}, { parent: STACK_URN });
  const lb = res("kubernetes:core/v1:Service", "app-service", {
    metadata: {
      name: "app",
      namespace: "app",
      annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
    },
    spec: { type: "LoadBalancer" },
  });
  const network = /^(vpc|public-|private-|nat-|flow-log|default-sg)/;
  return [
    ...compliantStack().map((r) =>
      r.type === "pulumi:pulumi:Stack"
        ? { ...r, urn: STACK_URN }
        : {
            ...r,
            parent: network.test(r.name)
              ? vpc.urn
              : r.type.startsWith("kubernetes:")
                ? k8s.urn
                : STACK_URN,
          },
    ),
    vpc,
    k8s,
    { ...lb, parent: k8s.urn },
  ];
}

const settings = {
  stack: "test",
  project: "platform",
  region: "us-east-1",
  production: true,
  azCount: 2,
  natTrafficGbPerMonth: 20,
};

describe("the inventory", () => {
  const inv = inventory(recordedStack());

  it("counts resources per type, leaving out the stack itself", () => {
    expect(inv.counts["aws:ec2/subnet:Subnet"]).toBe(4);
    expect(inv.counts["pulumi:pulumi:Stack"]).toBeUndefined();
    expect(inv.total).toBe(recordedStack().length - 1);
  });

  it("builds the tree from parent URNs, the stack at the root", () => {
    expect(inv.tree.map((n) => n.type)).toEqual(["pulumi:pulumi:Stack"]);
    const network = inv.tree[0]?.children.find((c) => c.name === "network");
    expect(network?.children.map((c) => c.name)).toContain("private-0");
  });

  it("prints the tree with a component's resources of one type folded into a line", () => {
    const lines = treeLines(inv.tree);
    expect(lines[0]).toBe("└─ platform-test (pulumi:pulumi:Stack)");
    expect(lines).toContain(
      "   │  ├─ aws:ec2/subnet:Subnet × 4: public-0, private-0, public-1, private-1",
    );
  });

  it("compares two stacks: types and resources only in one, and count differences", () => {
    const smaller = recordedStack().filter(
      (r) => r.name !== "nat-1" && r.type !== "aws:ecr/repository:Repository",
    );
    const diff = diffInventories(["prod", "dev"], inv, inventory(smaller));
    expect(diff.typesOnlyIn).toEqual([["aws:ecr/repository:Repository"], []]);
    expect(diff.countDifferences).toEqual([
      { type: "aws:ec2/natGateway:NatGateway", counts: [2, 1] },
    ]);
    expect(diff.resourcesOnlyIn[0]).toEqual([
      "aws:ec2/natGateway:NatGateway::nat-1",
      "aws:ecr/repository:Repository::repo",
    ]);
    expect(diff.resourcesOnlyIn[1]).toEqual([]);
  });
});

describe("the command line", () => {
  it.each([
    [["--stack", "dev"], { stack: "dev", format: "table", overrides: {}, floor: false }],
    [
      ["--stack=prod", "--format", "json", "--compare", "dev"],
      { stack: "prod", format: "json", compare: "dev" },
    ],
    [
      ["-s", "dev", "--set", "azCount=3", "--set", "natStrategy=perAz"],
      { overrides: { azCount: 3, natStrategy: "perAz" } },
    ],
    [["--stack", "prod", "--services", "10", "--floor"], { services: 10, floor: true }],
  ])("parses %j", (argv, expected) => {
    expect(parseArgs(argv)).toMatchObject(expected);
  });

  it.each([
    [[], "--stack is required"],
    [["--stack"], "--stack needs a value"],
    [
      ["--stack", "dev", "--format", "yaml"],
      '--format must be one of table, json, markdown; got "yaml"',
    ],
    [["--stack", "dev", "--compare", "dev"], "--compare must name another stack"],
    [["--stack", "dev", "--set", "azCount"], '--set needs key=value; got "azCount"'],
    [["--stack", "dev", "--services", "0"], "--services must be a whole number from 1 to 500"],
    [["--stack", "dev", "--verbose"], 'unknown argument "--verbose"'],
  ])("rejects %j: %s", (argv, message) => {
    expect(parseArgs(argv)).toBe(message);
  });
});

describe("the report", () => {
  const report = buildReport(recordedStack(), settings);

  it("formats money, unit prices and quantities", () => {
    expect([
      money(1234.5),
      money(0.004),
      unitPrice(0.01456),
      unitPrice(0.1),
      quantity(2190),
      quantity(2.5),
    ]).toEqual(["$1,234.50", "$0.00", "$0.01456", "$0.1", "2,190", "2.50"]);
  });

  it("counts mandatory and advisory findings", () => {
    const open = buildReport(
      withInput(recordedStack(), "cluster", "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"]),
      {
        ...settings,
        production: false,
      },
    );
    expect(report.summary).toEqual({ mandatory: 0, advisory: 0 });
    expect(open.summary).toEqual({ mandatory: 0, advisory: 1 });
  });

  it("renders JSON with the inventory, findings and cost, without the raw resources", () => {
    const json = JSON.parse(toJson(report)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["inventory", "findings", "summary", "cost", "stack"]),
    );
    expect(json.resources).toBeUndefined();
  });

  it("renders a table with the three sections and the total", () => {
    const text = renderTable(report);
    expect(text).toContain(`1. Inventory: ${report.inventory.total} resources`);
    expect(text).toContain("2. Policy findings: 0 mandatory, 0 advisory");
    expect(text).toContain(`3. Monthly cost estimate: ${money(report.cost.total)} (USD)`);
    expect(text).toContain("network (platform:network:Vpc)");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      `Summary: test: ${report.inventory.total} resources; policy OK, 0 advisory finding(s); about ${money(report.cost.total)} a month`,
    );
  });

  it("renders findings grouped by severity", () => {
    const bad = buildReport(
      withInput(
        withInput(recordedStack(), "repo", "imageTagMutability", "MUTABLE"),
        "cluster",
        "upgradePolicy",
        undefined,
      ),
      settings,
    );
    const text = renderTable(bad);
    expect(text.indexOf("  HIGH")).toBeLessThan(text.indexOf("  LOW"));
    expect(text.trimEnd().split("\n").at(-1)).toMatch(
      /^Summary: test: \d+ resources; FAIL: 1 mandatory policy violation\(s\), 1 advisory finding\(s\); about \$[\d,.]+ a month$/,
    );
    expect(text).toContain("[mandatory] ecr-immutable-tags: repo (aws:ecr/repository:Repository)");
    expect(renderMarkdown(bad)).toContain(
      "| `eks-standard-support` | advisory | cluster (`aws:eks/cluster:Cluster`) |",
    );
  });

  it("renders Markdown with a Mermaid diagram and a cost table", () => {
    const md = renderMarkdown(report);
    expect(md).toContain("```mermaid\nflowchart LR");
    expect(md).toContain("| **Total** |");
  });
});

describe("the architecture diagram", () => {
  const diagram = architectureDiagram(recordedStack());

  it("draws the VPC with its AZs, subnets and NAT gateways", () => {
    expect(diagram).toContain('subgraph vpc_vpc["VPC 10.0.0.0/16"]');
    expect(diagram).toContain('subgraph az_vpc_us_east_1a["us-east-1a"]');
    expect(diagram).toContain('sn_public_0["public <br/>NAT gateway"]');
  });

  it("draws the cluster, node groups, registry and services with their load balancers", () => {
    expect(diagram).toContain('eks_cluster["EKS platform-test<br/>Kubernetes 1.35"]');
    expect(diagram).toContain(
      'ng_nodes["node group nodes<br/>3 × m6i.large, ON_DEMAND<br/>min 3, max 9"]',
    );
    expect(diagram).toContain("eks_cluster --> ng_nodes");
    expect(diagram).toContain("ecr_repo -. image .-> svc_app");
    expect(diagram).toContain("nlb_app_service --> svc_app");
    expect(diagram).toContain('svc_app["service app/app<br/>3-10 replicas"]');
    expect(diagram).toContain('addons["Helm<br/>aws-load-balancer-controller"]');
  });

  it("escapes quotes in labels", () => {
    const quoted = withInput(recordedStack(), "vpc", "cidrBlock", 'a"b');
    expect(architectureDiagram(quoted)).toContain('"VPC a#quot;b"');
  });
});

describe("comparing stacks", () => {
  it("matches resources whose names carry the stack name", () => {
    const dev = {
      counts: {},
      keys: ["aws:ec2/vpc:Vpc::platform-dev", "aws:ec2/eip:Eip::platform-dev-nat-0"],
    };
    const prod = {
      counts: {},
      keys: [
        "aws:ec2/vpc:Vpc::platform-prod",
        "aws:ec2/eip:Eip::platform-prod-nat-0",
        "aws:ec2/eip:Eip::platform-prod-nat-1",
      ],
    };
    expect(diffInventories(["dev", "prod"], dev, prod).resourcesOnlyIn).toEqual([
      [],
      ["aws:ec2/eip:Eip::platform-<stack>-nat-1"],
    ]);
  });

  it("replaces the stack name only where it is a whole word of the name", () => {
    expect(stackNeutral("t::devices-dev", "dev")).toBe("t::devices-<stack>");
    expect(stackNeutral("kubernetes:core/v1:Namespace::dev", "dev")).toBe(
      "kubernetes:core/v1:Namespace::<stack>",
    );
  });
});
