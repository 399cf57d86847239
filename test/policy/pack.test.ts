import * as fs from "fs";
import * as path from "path";
import type {
  PolicyResource,
  ResourceValidationArgs,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { toPolicies } from "../../policy/pack";
import { RULES } from "../../policy/rules";
import type { PolicySubject } from "../../policy/rules";
import { compliantStack, withInput } from "./fixtures";

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
