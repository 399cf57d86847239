import * as fs from "fs";
import * as path from "path";
import type {
  PolicyResource,
  ResourceValidationArgs,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import { parse as parseYaml } from "yaml";
import { toPolicies } from "../../policy/pack";
import { RULES } from "../../policy/rules";
import type { PolicySubject } from "../../policy/rules";
import { compliantStack, res, urn, withInput } from "./fixtures";

const policyDir = path.resolve(__dirname, "../../policy");

/** What `@pulumi/policy` hands a resource policy, built from a fixture. */
function resourceArgs(r: PolicySubject): ResourceValidationArgs {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.inputs,
    opts: { protect: r.options?.protect ?? false, parent: r.parent },
  } as unknown as ResourceValidationArgs;
}

/** What it hands a stack policy: resources with parent and dependency objects. */
function stackArgs(stack: PolicySubject[]): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of stack) {
    byUrn.set(r.urn, {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: r.inputs,
      opts: { protect: r.options?.protect ?? false },
      dependencies: [],
      propertyDependencies: {},
    } as unknown as PolicyResource);
  }
  for (const r of stack) {
    byUrn.get(r.urn)!.dependencies = (r.options?.dependencies ?? []).map((u) => byUrn.get(u)!);
  }
  return { resources: [...byUrn.values()] } as unknown as StackValidationArgs;
}

// Internal to @pulumi/policy (no typings): its proxy over `props` throws on a value a preview
// does not know, and the sentinel the engine sends for an unknown string and list.
const { unknownCheckingProxy } = policySdk as unknown as { unknownCheckingProxy: <T>(o: T) => T };
const { unknownStringValue: UNKNOWN, unknownArrayValue: UNKNOWN_LIST } = policyProxy as unknown as {
  unknownStringValue: string;
  unknownArrayValue: string;
};

/** The stack policies of the pack run as during a real preview: props behind the library's proxy. */
function previewStack(stack: PolicySubject[], production = true) {
  const args = stackArgs(stack);
  for (const r of args.resources) {
    // Rebuilt in this realm: the proxy wraps only `instanceof Object` values, which objects from
    // the fixtures' structuredClone (jest's outer realm) are not.
    const props: unknown = JSON.parse(JSON.stringify(r.props));
    (r as { props: unknown }).props = unknownCheckingProxy(props);
  }
  const reports: { policy: string; urn?: string }[] = [];
  const thrown: { policy: string; error: unknown }[] = [];
  for (const p of toPolicies(RULES, production)) {
    if (!("validateStack" in p)) continue;
    try {
      p.validateStack(args, (_m: string, u?: string) =>
        reports.push({ policy: p.name, urn: u }),
      ) as void;
    } catch (error) {
      thrown.push({ policy: p.name, error });
    }
  }
  return { reports, thrown };
}

function run(stack: PolicySubject[], production: boolean) {
  const reports: { policy: string; message: string; urn?: string }[] = [];
  for (const p of toPolicies(RULES, production)) {
    const report = (message: string, urn?: string) =>
      reports.push({ policy: p.name, message, urn });
    if ("validateResource" in p) {
      const validate = p.validateResource as (a: ResourceValidationArgs, r: typeof report) => void;
      for (const r of stack) validate(resourceArgs(r), report);
    } else {
      (p as StackValidationPolicy).validateStack(stackArgs(stack), report) as void;
    }
  }
  return reports;
}

describe("the policy pack", () => {
  it("has one policy per rule, resource rules as validateResource and stack rules as validateStack", () => {
    const policies = toPolicies(RULES, false);
    expect(policies.map((p) => p.name)).toEqual(RULES.map((r) => r.id));
    for (const [i, rule] of RULES.entries()) {
      expect(policies[i]).toHaveProperty(
        rule.scope === "resource" ? "validateResource" : "validateStack",
      );
    }
  });

  it("sets each policy's enforcement level from the stack's production flag", () => {
    const level = (production: boolean) =>
      toPolicies(RULES, production).find((p) => p.name === "eks-endpoint-not-world-open")
        ?.enforcementLevel;
    expect(level(true)).toBe("mandatory");
    expect(level(false)).toBe("advisory");
  });

  it("reports nothing on the compliant baseline", () => {
    expect(run(compliantStack(), true)).toEqual([]);
  });

  it("reports what the rule functions find, with the resource's URN for stack policies", () => {
    const stack = withInput(
      withInput(compliantStack(), "repo", "imageTagMutability", "MUTABLE"),
      "app-pdb",
      "spec.minAvailable",
      3,
    );
    const reports = run(stack, true);
    expect(reports.map((r) => r.policy).sort()).toEqual([
      "ecr-immutable-tags",
      "k8s-hpa-above-pdb",
    ]);
    expect(reports.find((r) => r.policy === "k8s-hpa-above-pdb")?.urn).toContain("app-hpa");
  });

  describe("in a real preview, where ids of resources still to be created are unknown", () => {
    /** The compliant stack as a first preview sees it: every id the engine does not know yet. */
    const firstPreview = () =>
      [
        ["repo-lifecycle", "repository"],
        ["public-0", "vpcId"],
        ["public-1", "vpcId"],
        ["private-0", "vpcId"],
        ["private-1", "vpcId"],
        ["nat-0", "subnetId"],
        ["nat-1", "subnetId"],
        ["flow-log", "vpcId"],
        ["default-sg", "vpcId"],
        ["cluster-sg-https", "securityGroupId"],
        ["cluster", "vpcConfig.securityGroupIds"],
      ].reduce((stack, [name, path]) => withInput(stack, name!, path!, UNKNOWN), compliantStack());

    it("links resources by their dependencies, so every stack policy still runs and passes", () => {
      expect(previewStack(firstPreview())).toEqual({ reports: [], thrown: [] });
    });

    it("still reports SSH open to the world on a security group that does not exist yet", () => {
      const stack = [
        ...firstPreview(),
        res(
          "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
          "cluster-sg-ssh",
          {
            securityGroupId: UNKNOWN,
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrIpv4: "0.0.0.0/0",
          },
          { deps: [urn("cluster-sg")] },
        ),
      ];
      expect(previewStack(stack)).toEqual({
        reports: [{ policy: "no-world-ingress-to-admin-ports", urn: urn("cluster-sg-ssh") }],
        thrown: [],
      });
    });

    it("checks every other resource before leaving one it cannot read to the library's advisory", () => {
      const stack = withInput(
        [
          ...firstPreview(),
          res("aws:ec2/securityGroup:SecurityGroup", "bastion", {
            vpcId: UNKNOWN,
            ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
          }),
        ],
        "cluster-sg",
        "ingress",
        UNKNOWN_LIST,
      );
      const { reports, thrown } = previewStack(stack);
      expect(reports).toEqual([{ policy: "no-world-ingress-to-admin-ports", urn: urn("bastion") }]);
      expect(thrown.map((t) => [t.policy, (t.error as Error).message])).toEqual([
        [
          "no-world-ingress-to-admin-ports",
          "Array value at .ingress can't be known during preview",
        ],
      ]);
      expect(thrown[0]?.error).toBeInstanceOf(
        (policySdk as unknown as { UnknownValueError: new () => Error }).UnknownValueError,
      );
    });
  });

  it("is a Node.js policy pack whose package.json names a version and the entry point", () => {
    const manifest = parseYaml(
      fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8"),
    ) as {
      runtime: string;
    };
    const pkg = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")) as {
      version?: string;
      main?: string;
    };
    expect(manifest.runtime).toBe("nodejs");
    // PolicyPack's constructor reads the version from package.json in the pack's directory.
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.existsSync(path.join(policyDir, pkg.main ?? "index.js"))).toBe(true);
  });
});
