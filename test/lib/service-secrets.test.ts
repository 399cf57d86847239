import {
  SECRET_ARN,
  generatedSecretNames,
  providerObjects,
  secretEnvironment,
  secretMounts,
  secretsAccessPolicy,
  syncedSecretObjects,
} from "../../lib/service-secrets";

const DB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbC123";
const TOKEN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-token-Zz9Yy8";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

describe("secret ARNs", () => {
  it.each([DB, TOKEN, "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x-abcdef"])(
    "accepts the full ARN %s",
    (arn) => expect(SECRET_ARN.test(arn)).toBe(true),
  );
  it.each([
    [
      "a partial ARN (no 6-character suffix)",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
    ],
    ["a wildcard", "arn:aws:secretsmanager:us-east-1:123456789012:secret:*"],
    ["a name", "prod/db"],
    ["another service", "arn:aws:ssm:us-east-1:123456789012:parameter/db-AbC123"],
  ])("refuses %s", (_, arn) => expect(SECRET_ARN.test(arn)).toBe(false));
});

describe("what the driver mounts", () => {
  const mounts = [
    { target: "DB_PASSWORD", arn: DB, key: "password" },
    { target: "/secrets/db.json", arn: DB },
    { target: "API_TOKEN", arn: TOKEN },
  ];

  it("asks ASCP for one object per target: files by name, variables as env.<NAME>, JSON keys through a quoted JMESPath", () => {
    expect(providerObjects(mounts)).toEqual([
      {
        objectName: DB,
        objectAlias: ".env.DB_PASSWORD.source",
        jmesPath: [{ path: '"password"', objectAlias: "env.DB_PASSWORD" }],
      },
      { objectName: DB, objectAlias: "db.json" },
      { objectName: TOKEN, objectAlias: "env.API_TOKEN" },
    ]);
  });

  it("syncs only the variables into the driver-owned Secret, and reads them from it", () => {
    const targets = mounts.map((m) => m.target);
    expect(syncedSecretObjects("billing", targets)).toEqual([
      {
        secretName: "billing-env-secrets",
        type: "Opaque",
        data: [
          { objectName: "env.API_TOKEN", key: "API_TOKEN" },
          { objectName: "env.DB_PASSWORD", key: "DB_PASSWORD" },
        ],
      },
    ]);
    expect(secretEnvironment("billing", targets)).toEqual([
      {
        name: "API_TOKEN",
        valueFrom: { secretKeyRef: { name: "billing-env-secrets", key: "API_TOKEN" } },
      },
      {
        name: "DB_PASSWORD",
        valueFrom: { secretKeyRef: { name: "billing-env-secrets", key: "DB_PASSWORD" } },
      },
    ]);
    expect(syncedSecretObjects("files-only", ["/secrets/a"])).toEqual([]);
  });
});

describe("the IAM policy of a service's secrets", () => {
  it("reads exactly the listed secrets, each once, and nothing else", () => {
    expect(secretsAccessPolicy([TOKEN, DB, DB], [], "us-east-1")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadListedSecrets",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          Resource: [TOKEN, DB],
        },
      ],
    });
  });

  it("decrypts with a customer key only through Secrets Manager in the stack's region", () => {
    const statements = secretsAccessPolicy([DB], [KEY], "eu-west-1").Statement;
    expect(statements[1]).toEqual({
      Sid: "DecryptListedSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [KEY],
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
    });
  });
});

describe("secrets the stack generates", () => {
  it("creates each generated name once, whichever services and targets name it", () => {
    expect(
      generatedSecretNames([
        { secrets: { A: { generated: "token" }, "/secrets/t": { generated: "token" } } },
        { secrets: { B: { generated: "signing-key" }, C: { arn: DB } } },
      ]),
    ).toEqual(["signing-key", "token"]);
  });

  it("turns a generated name into the created secret's ARN, and keeps given ARNs", () => {
    expect(
      secretMounts({ A: { generated: "token" }, B: { arn: DB, key: "user" } }, { token: TOKEN }),
    ).toEqual([
      { target: "A", arn: TOKEN, key: undefined, kmsKeyArn: undefined },
      { target: "B", arn: DB, key: "user", kmsKeyArn: undefined },
    ]);
    expect(() => secretMounts({ A: { generated: "missing" } }, {})).toThrow(
      "secret A: no ARN and no generated secret named missing",
    );
  });
});
