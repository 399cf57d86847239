/**
 * The policy pack as `pulumi preview --policy-pack policy` runs it, with no CLI needed: the
 * process the CLI's `pulumi-analyzer-policy` plugin starts (`@pulumi/pulumi/cmd/run-policy-pack`,
 * ts-node type-checking with the CLI's default compiler options, in the pack's directory, with
 * the stack's config in PULUMI_CONFIG as analyzer_plugin.go's constructEnv passes it), then
 * the engine's gRPC calls. It proves the pack loads, reads `production` from the stack's
 * config, and still checks a preview in which new resources' ids are unknown (about 4 s: the
 * pack type-checks itself on start, as under the CLI).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

const ROOT = path.join(__dirname, "../..");
/** The engine's sentinel for a string a preview does not know yet. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const MANDATORY = pb.EnforcementLevel.MANDATORY;
const ADVISORY = pb.EnforcementLevel.ADVISORY;

interface Pack {
  readonly process: ChildProcess;
  readonly client: AnalyzerClient;
}

/** Starts the pack for a stack whose `platform:production` is `production`. */
function startPack(production: boolean): Promise<Pack> {
  const child = spawn(
    process.execPath,
    [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
    {
      cwd: path.join(ROOT, "policy"),
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify({ "platform:production": String(production) }),
        PULUMI_NODEJS_PROJECT: "platform",
        PULUMI_NODEJS_STACK: production ? "prod" : "dev",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the pack exited ${code}:\n${stderr}`)));
    child.stdout?.once("data", (d: Buffer) => {
      const port = d.toString().trim();
      const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      resolve({ process: child, client });
    });
  });
}

const urnOf = (type: string, name: string) => `urn:pulumi:prod::platform::${type}::${name}`;

/** A resource as the engine sends it to AnalyzeStack. */
function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  dependsOn: [string, string][] = [],
): pb.AnalyzerResource {
  const r = new pb.AnalyzerResource();
  r.setType(type);
  r.setName(name);
  r.setUrn(urnOf(type, name));
  r.setProperties(Struct.fromJavaScript(props as Record<string, never>));
  const options = new pb.AnalyzerResourceOptions();
  options.setProtect(true);
  r.setOptions(options);
  r.setDependenciesList(dependsOn.map(([t, n]) => urnOf(t, n)));
  return r;
}

const VPC = "aws:ec2/vpc:Vpc";
const SG = "aws:ec2/securityGroup:SecurityGroup";

/** A first preview: a new VPC, its flow log and default group, and SSH open to the world. */
function firstPreview(): pb.AnalyzeStackRequest {
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList([
    resource(VPC, "vpc", { cidrBlock: "10.0.0.0/16" }),
    resource("aws:ec2/flowLog:FlowLog", "flow-log", { vpcId: UNKNOWN }, [[VPC, "vpc"]]),
    resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", { vpcId: UNKNOWN }, [
      [VPC, "vpc"],
    ]),
    resource(SG, "bastion", { vpcId: UNKNOWN }, [[VPC, "vpc"]]),
    resource(
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "bastion-ssh",
      {
        securityGroupId: UNKNOWN,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: "0.0.0.0/0",
      },
      [[SG, "bastion"]],
    ),
  ]);
  return req;
}

describe("the policy pack, run the way the Pulumi CLI runs it", () => {
  let prod: Pack;
  let dev: Pack;

  beforeAll(async () => {
    [prod, dev] = await Promise.all([startPack(true), startPack(false)]);
  }, 60_000);

  afterAll(() => {
    for (const pack of [prod, dev]) {
      pack?.client.close();
      pack?.process.kill();
    }
  });

  const levels = (pack: Pack) =>
    new Promise<Record<string, number>>((resolve, reject) =>
      pack.client.getAnalyzerInfo(new Empty(), (error, info) =>
        error
          ? reject(error)
          : resolve(
              Object.fromEntries(
                info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]),
              ),
            ),
      ),
    );

  it("loads, and takes `production` from the stack config the CLI passes", async () => {
    expect((await levels(prod))["eks-endpoint-not-world-open"]).toBe(MANDATORY);
    expect((await levels(dev))["eks-endpoint-not-world-open"]).toBe(ADVISORY);
    expect((await levels(dev))["ecr-immutable-tags"]).toBe(MANDATORY);
  });

  it("checks a first preview by dependencies, and fails SSH open to the world", async () => {
    const diagnostics = await new Promise<pb.AnalyzeDiagnostic[]>((resolve, reject) =>
      prod.client.analyzeStack(firstPreview(), (error, res) =>
        error ? reject(error) : resolve(res.getDiagnosticsList()),
      ),
    );
    expect(
      diagnostics.map((d) => [d.getPolicyname(), d.getEnforcementlevel(), d.getUrn()]),
    ).toEqual([
      [
        "no-world-ingress-to-admin-ports",
        MANDATORY,
        urnOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "bastion-ssh"),
      ],
    ]);
  });
});
