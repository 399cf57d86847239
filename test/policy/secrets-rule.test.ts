import { evaluate } from "../../policy/rules";
import { secretReadProblems, secretsRules } from "../../policy/rules/secrets";
import type { PolicySubject } from "../../policy/rules";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbC123";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const VIA = { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } };
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const read = (Resource: unknown, Action: unknown = "secretsmanager:GetSecretValue") => ({
  Sid: "Read",
  Effect: "Allow",
  Action,
  Resource,
});

describe("policy rule secrets-read-exact-arns", () => {
  it.each([
    ["exact ARNs", doc(read([ARN]))],
    [
      "exact ARNs and a named key through Secrets Manager",
      doc(read(ARN), { Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: VIA }),
    ],
    [
      "a policy that reads no secrets, whatever else it allows",
      doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
    ],
    ["describing secrets (metadata) anywhere", doc(read("*", "secretsmanager:DescribeSecret"))],
    ["a Deny on every secret", doc({ Effect: "Deny", Action: "secretsmanager:*", Resource: "*" })],
  ])("passes %s", (_, policy) => {
    expect(secretReadProblems(policy)).toEqual([]);
  });

  it.each([
    ["a wildcard resource", doc(read("*")), '["*"]'],
    [
      "a name prefix",
      doc(read("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/*")),
      "app/*",
    ],
    [
      "a partial ARN (matches every suffix)",
      doc(read("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db")),
      "app/db",
    ],
    ["secretsmanager:* on everything", doc(read("*", "secretsmanager:*")), '["*"]'],
    ["Get* on everything", doc(read("*", "secretsmanager:Get*")), '["*"]'],
    ["batch reads on everything", doc(read("*", "secretsmanager:BatchGetSecretValue")), '["*"]'],
    [
      "NotResource",
      doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", NotResource: ARN }),
      ARN,
    ],
    [
      "decrypting with any key",
      doc(read(ARN), { Effect: "Allow", Action: "kms:Decrypt", Resource: "*", Condition: VIA }),
      "named keys",
    ],
    [
      "NotAction, which grants every action it does not name",
      doc({ Effect: "Allow", NotAction: "kms:*", Resource: "*" }),
      '["*"]',
    ],
    [
      "decrypting through any service",
      doc(read(ARN), {
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: KEY,
        Condition: { StringLike: { "kms:ViaService": "*" } },
      }),
      "kms:ViaService",
    ],
    [
      "decrypting outside Secrets Manager",
      doc(read(ARN), { Effect: "Allow", Action: "kms:Decrypt", Resource: KEY }),
      "kms:ViaService",
    ],
  ])("fails %s", (_, policy, words) => {
    const problems = secretReadProblems(policy);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("beyond");
    expect(problems[0]).toContain(words);
    expect(problems.join()).toContain(words.replace(/^\["|"\]$/g, ""));
  });

  it("checks a role's inline policies too, and blocks the preview", () => {
    const role: PolicySubject = {
      type: "aws:iam/role:Role",
      name: "svc",
      urn: "urn:pulumi:test::platform::aws:iam/role:Role::svc",
      inputs: { inlinePolicies: [{ name: "secrets", policy: doc(read("*")) }] },
    };
    const findings = evaluate([role], { production: false }, secretsRules);
    expect(findings).toMatchObject([
      { ruleId: "secrets-read-exact-arns", enforcement: "mandatory", resource: { name: "svc" } },
    ]);
  });
});
