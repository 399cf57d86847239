import { parseStack } from "./support";
import { Case, expectRejected } from "./support";

// Issue 16: hostile or mistaken values of the keys for calls between services and for their
// secrets. Each starts from a real stack file, is rejected before any resource exists, and
// the line names the key, the rule and the value.

const DB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbC123";

/** The dev stack's two services with some fields of each replaced. */
const dev = (app: Record<string, unknown>, backend: Record<string, unknown> = {}) => ({
  services: {
    app: { minReplicas: 1, maxReplicas: 2, expose: "internet", calls: ["backend"], ...app },
    backend: { minReplicas: 1, maxReplicas: 2, ...backend },
  },
});

const calls: Case[] = [
  {
    name: "a callee that is not a service of the stack",
    base: "dev",
    change: dev({ calls: ["billing"] }),
    expect:
      'platform:services.app.calls[0]: must name a service of this stack (app, backend); got "billing"',
  },
  {
    name: "a service calling itself",
    base: "dev",
    change: dev({ calls: ["backend", "app"] }),
    expect:
      'platform:services.app.calls[1]: must not name the service itself: a service reaches its own pods without a policy; got "app"',
  },
  {
    name: "a callee named twice",
    base: "prod",
    change: {
      services: {
        app: { minReplicas: 3, maxReplicas: 10, calls: ["backend", "backend"] },
        backend: { minReplicas: 3, maxReplicas: 6 },
      },
    },
    expect: 'platform:services.app.calls[1]: must not repeat a service; got "backend"',
  },
  {
    name: "a string for the calls list",
    base: "dev",
    change: dev({ calls: "backend" }),
    expect: 'platform:services.app.calls: must be a list of service names; got "backend"',
  },
  {
    name: "a callee name that could never be a namespace",
    base: "dev",
    change: dev({ calls: ["Backend; rm -rf /"] }),
    expect:
      "platform:services.app.calls[0]: must be lower-case letters, digits and '-', starting with a letter; got \"Backend; rm -rf /\"",
  },
  {
    name: "an env variable the callee's URL would overwrite",
    base: "dev",
    change: dev({ env: { BACKEND_URL: "http://evil.example.com" } }),
    expect:
      'platform:services.app.env.BACKEND_URL: must not be set: the platform sets it to the URL of "backend", which the service calls; got "http://evil.example.com"',
  },
];

const secrets: Case[] = [
  {
    name: "a secret from another region, which ASCP refuses to mount",
    base: "dev",
    change: dev({}, { secrets: { DB: { arn: DB.replace("us-east-1", "eu-west-1") } } }),
    expect:
      'platform:services.backend.secrets.DB.arn: must be in the stack\'s region us-east-1: the pod reads its secrets there; got "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123"',
  },
  {
    name: "a secret value written in the stack file instead of a source",
    base: "dev",
    change: dev({}, { secrets: { DB_PASSWORD: "hunter2" } }),
    expect:
      'platform:services.backend.secrets.DB_PASSWORD: must be an object with arn (a secret\'s ARN) or generated (a name), and optionally key and kmsKeyArn; got "hunter2"',
  },
  {
    name: "an unknown field such as value",
    base: "dev",
    change: dev({}, { secrets: { DB_PASSWORD: { arn: DB, value: "hunter2" } } }),
    expect: {
      key: "platform:services.backend.secrets.DB_PASSWORD.value",
      rule: "not a known key",
    },
  },
  {
    name: "a wildcard ARN (would widen the role to every secret)",
    base: "prod",
    change: {
      services: {
        app: { minReplicas: 3, maxReplicas: 10 },
        backend: {
          minReplicas: 3,
          secrets: { DB: { arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:*" } },
        },
      },
    },
    expect: {
      key: "platform:services.backend.secrets.DB.arn",
      rule: "must be a Secrets Manager secret's full ARN",
    },
  },
  {
    name: "a partial ARN without the 6-character suffix",
    base: "dev",
    change: dev(
      {},
      { secrets: { DB: { arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db" } } },
    ),
    expect: {
      key: "platform:services.backend.secrets.DB.arn",
      rule: "<name>-<6 characters>",
    },
  },
  {
    name: "both an ARN and a generated name",
    base: "dev",
    change: dev({}, { secrets: { DB: { arn: DB, generated: "db" } } }),
    expect: {
      key: "platform:services.backend.secrets.DB",
      rule: "must set exactly one of arn (an existing secret) and generated",
    },
  },
  {
    name: "neither an ARN nor a generated name",
    base: "dev",
    change: dev({}, { secrets: { DB: { key: "password" } } }),
    expect: {
      key: "platform:services.backend.secrets.DB",
      rule: "must set exactly one of arn (an existing secret) and generated",
    },
  },
  {
    name: "a JSON key on a generated secret",
    base: "dev",
    change: dev({}, { secrets: { DB: { generated: "db", key: "password" } } }),
    expect: {
      key: "platform:services.backend.secrets.DB",
      rule: "must not set key or kmsKeyArn with generated",
    },
  },
  {
    name: "a JMESPath expression for a key (injection into ASCP's query)",
    base: "dev",
    change: dev({}, { secrets: { DB: { arn: DB, key: "password || @" } } }),
    expect:
      "platform:services.backend.secrets.DB.key: must be a key of a JSON secret (1 to 128 letters, digits, '.', '_', '-'); got \"password || @\"",
  },
  {
    name: "a file outside /secrets",
    base: "dev",
    change: dev({}, { secrets: { "/etc/passwd": { arn: DB } } }),
    expect: { key: "platform:services.backend.secrets./etc/passwd (key)", rule: "/secrets/<name>" },
  },
  {
    name: "a path that climbs out of the mount",
    base: "dev",
    change: dev({}, { secrets: { "/secrets/../etc/shadow": { arn: DB } } }),
    expect: {
      key: "platform:services.backend.secrets./secrets/../etc/shadow (key)",
      rule: "/secrets/<name>",
    },
  },
  {
    name: "a file name the platform uses for variables",
    base: "dev",
    change: dev({}, { secrets: { "/secrets/env.API_TOKEN": { arn: DB } } }),
    expect: { key: "platform:services.backend.secrets./secrets/env.API_TOKEN (key)", rule: "env." },
  },
  {
    name: "PORT as a secret variable",
    base: "dev",
    change: dev({}, { secrets: { PORT: { arn: DB } } }),
    expect: {
      key: "platform:services.backend.secrets.PORT (key)",
      rule: "must not be PORT",
    },
  },
  {
    name: "a secret variable that env also sets",
    base: "dev",
    change: dev({}, { env: { API_TOKEN: "x" }, secrets: { API_TOKEN: { arn: DB } } }),
    expect:
      'platform:services.backend.secrets.API_TOKEN: must not name a variable settings.env already sets; got "API_TOKEN"',
  },
  {
    name: "a secret variable named like a callee's URL",
    base: "dev",
    change: dev({ secrets: { BACKEND_URL: { arn: DB } } }),
    expect:
      'platform:services.app.secrets.BACKEND_URL: must not name a variable calls (backend) already sets; got "BACKEND_URL"',
  },
  {
    name: "a KMS key that is not a key ARN",
    base: "dev",
    change: dev({}, { secrets: { DB: { arn: DB, kmsKeyArn: "alias/aws/secretsmanager" } } }),
    expect:
      'platform:services.backend.secrets.DB.kmsKeyArn: must be a KMS key ARN; got "alias/aws/secretsmanager"',
  },
  {
    name: "a list for the secrets map",
    base: "dev",
    change: dev({}, { secrets: [DB] }),
    expect: {
      key: "platform:services.backend.secrets",
      rule: "must be a map of environment variable or /secrets/<file> to secret",
    },
  },
];

describe("hostile config for calls and secrets (issue 16)", () => {
  it.each(calls)("rejects a bad call: $name", expectRejected);
  it.each(secrets)("rejects a bad secret: $name", expectRejected);

  it("allows two services to call each other (a cycle), and a service nobody calls", () => {
    const config = parseStack("dev", {
      services: {
        app: { calls: ["backend"] },
        backend: { calls: ["app"] },
        worker: {},
      },
    });
    expect(config.services.backend?.calls).toEqual(["app"]);
  });

  it("reports every problem of every service's calls in one error", () => {
    expect(() => parseStack("dev", dev({ calls: ["ghost", "app"] }, { calls: ["nope"] }))).toThrow(
      /services\.app\.calls\[0\].*\n.*services\.app\.calls\[1\].*\n.*services\.backend\.calls\[0\]/,
    );
  });
});
