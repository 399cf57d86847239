import { STATEFUL_TYPES } from "../../lib/protection";
import { identityChanges, identitySnapshot, readSnapshot } from "../../tools/snapshot";
import type { StackRun } from "../../tools/runner";
import { RecordedResource, dependencyClosure as closureOf, ofType } from "../harness";

/** Fails with review instructions when a stack's URNs or replacement-forcing inputs changed. */
export function expectStableIdentity(run: StackRun): void {
  const committed = readSnapshot(run.stack);
  if (!committed) {
    throw new Error(
      `no identity snapshot for ${run.stack}: run \`npm run snapshot -- --stack ${run.stack}\` and commit it`,
    );
  }
  const changes = identityChanges(committed, identitySnapshot(run.resources));
  if (changes.length > 0) {
    throw new Error(
      `the ${run.stack} stack's resource identities changed; \`pulumi up\` would act on these:\n` +
        changes.map((c) => `  - ${c}`).join("\n") +
        `\nIf every change is intended, run \`npm run snapshot -- --stack ${run.stack}\` and commit the diff so review sees it.`,
    );
  }
}

/** Every resource of the stateful types (registry, cluster, node groups, keys, logs, VPC, subnets). */
export function statefulResources(run: StackRun): RecordedResource[] {
  return run.resources.filter((r) => (STATEFUL_TYPES as readonly string[]).includes(r.type));
}

/** The Helm release of a chart, if installed. */
export function release(run: StackRun, chart: string): RecordedResource | undefined {
  return ofType(run.resources, "kubernetes:helm.sh/v3:Release").find(
    (r) => r.inputs.chart === chart,
  );
}

/** The URN of the only resource of a type; throws when there is not exactly one. */
export function only(run: StackRun, type: string): RecordedResource {
  const found = ofType(run.resources, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** Every URN a resource of a stack run depends on, directly or through others. */
export function dependencyClosure(run: StackRun, resource: RecordedResource): Set<string> {
  return closureOf(run.resources, resource);
}

/**
 * The VPC's egress path: the internet gateway, every default route, every route-table
 * association and every NAT gateway.
 */
export function egressPath(run: StackRun): RecordedResource[] {
  return [
    ...ofType(run.resources, "aws:ec2/internetGateway:InternetGateway"),
    ...ofType(run.resources, "aws:ec2/route:Route").filter(
      (r) => r.inputs.destinationCidrBlock === "0.0.0.0/0",
    ),
    ...ofType(run.resources, "aws:ec2/routeTableAssociation:RouteTableAssociation"),
    ...ofType(run.resources, "aws:ec2/natGateway:NatGateway"),
  ];
}

/**
 * What runs in the cluster and calls AWS, or whose deletion needs something that does: node
 * groups, EKS addons, Helm releases, Services of type LoadBalancer, Ingresses.
 */
export function awsCallersInCluster(run: StackRun): RecordedResource[] {
  return run.resources.filter(
    (r) =>
      r.type === "aws:eks/nodeGroup:NodeGroup" ||
      r.type === "aws:eks/addon:Addon" ||
      r.type === "kubernetes:helm.sh/v3:Release" ||
      r.type === "kubernetes:networking.k8s.io/v1:Ingress" ||
      (r.type === "kubernetes:core/v1:Service" &&
        (r.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer"),
  );
}

/** The `<type> <name>` of each resource whose dependency closure misses one of `needed`. */
export function missingEdges(
  run: StackRun,
  dependents: readonly RecordedResource[],
  needed: readonly RecordedResource[],
): string[] {
  return dependents.flatMap((d) => {
    const closure = dependencyClosure(run, d);
    return needed.filter((n) => !closure.has(n.urn)).map((n) => `${d.name} -/-> ${n.name}`);
  });
}
