import type * as pulumi from "@pulumi/pulumi";
import { ARN_PARTITION } from "./arns";

/**
 * How a service's secrets reach its pods, as plain objects: the Secrets Store CSI Driver mounts
 * the secrets the AWS provider (ASCP) fetches with the pod's own Pod Identity role; files stay
 * in the mount, and environment variables come from the Kubernetes Secret the driver syncs from
 * that mount. Pulumi only ever handles the secret ARNs, never a value.
 */

/** Where secret files appear in the container; a `/secrets/<file>` target names one of them. */
export const SECRETS_MOUNT_PATH = "/secrets";
/** The CSI driver's name (the chart's CSIDriver object). */
export const SECRETS_STORE_DRIVER = "secrets-store.csi.k8s.io";
/** The pod volume the secrets are mounted from. */
export const SECRETS_VOLUME = "secrets";
/** A Secrets Manager secret's full ARN, with the 6-character suffix AWS adds to the name. */
export const SECRET_ARN = new RegExp(
  `^${ARN_PARTITION}:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@-]{1,512}-[A-Za-z0-9]{6}$`,
);
/** An environment variable name. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A file under {@link SECRETS_MOUNT_PATH}; `env.` and dot files are the platform's own names. */
export const SECRET_FILE = /^\/secrets\/(?!env\.)(?!\.)[A-Za-z0-9._-]{1,200}$/;
/** A key of a JSON secret; always quoted in the JMESPath, so dashes and dots are literal. */
export const SECRET_JSON_KEY = /^[A-Za-z0-9_.-]{1,128}$/;

/** One secret a service reads: where it goes, and which secret (and JSON key) it comes from. */
export interface SecretMount {
  /** An environment variable name, or a file path `/secrets/<file>`. */
  readonly target: string;
  /** The secret's full ARN. */
  readonly arn: pulumi.Input<string>;
  /** A key inside a JSON secret; the whole value when undefined. */
  readonly key?: string;
  /** The customer KMS key the secret is encrypted with; undefined for the AWS-managed key. */
  readonly kmsKeyArn?: string;
}

/** True when a target is a file path rather than an environment variable. */
export const isFileTarget = (target: string): boolean => target.startsWith("/");

/** The file name in the mount a target's value is written to. */
export function aliasOf(target: string): string {
  return isFileTarget(target) ? target.slice(SECRETS_MOUNT_PATH.length + 1) : `env.${target}`;
}

/** The Kubernetes Secret the driver syncs environment-variable secrets into. */
export const envSecretName = (service: string): string => `${service}-env-secrets`;

/**
 * The `objects` parameter of the SecretProviderClass (ASCP's YAML, written as JSON, which YAML
 * reads): one object per mount, so two targets may read the same secret. With a JSON key ASCP
 * still writes the whole secret too; it goes to a dot file (`.<alias>.source`), which no target
 * may name. Source: ASCP README "SecretProviderClass options" and provider/secret_descriptor.go
 * (duplicate objectName allowed with distinct objectAlias), aws/secrets-store-csi-driver-provider-aws.
 */
export function providerObjects(mounts: readonly { target: string; arn: string; key?: string }[]) {
  return mounts.map((m) =>
    m.key === undefined
      ? { objectName: m.arn, objectAlias: aliasOf(m.target) }
      : {
          objectName: m.arn,
          objectAlias: `.${aliasOf(m.target)}.source`,
          jmesPath: [{ path: JSON.stringify(m.key), objectAlias: aliasOf(m.target) }],
        },
  );
}

/**
 * The `secretObjects` of the SecretProviderClass: the environment-variable targets, synced by
 * the driver into one Kubernetes Secret (the driver owns it, Pulumi never sees its data).
 */
export function syncedSecretObjects(service: string, targets: readonly string[]) {
  const env = targets.filter((t) => !isFileTarget(t)).sort();
  return env.length === 0
    ? []
    : [
        {
          secretName: envSecretName(service),
          type: "Opaque",
          data: env.map((name) => ({ objectName: aliasOf(name), key: name })),
        },
      ];
}

/** The container's environment entries for the environment-variable targets. */
export function secretEnvironment(service: string, targets: readonly string[]) {
  return targets
    .filter((t) => !isFileTarget(t))
    .sort()
    .map((name) => ({
      name,
      valueFrom: { secretKeyRef: { name: envSecretName(service), key: name } },
    }));
}

/**
 * The IAM policy of a service's secrets: read exactly the listed secrets, and decrypt with the
 * customer keys they use only through Secrets Manager. `DescribeSecret` is there because ASCP's
 * rotation reconciler calls it to see whether AWSCURRENT moved (provider/secrets_manager_provider.go
 * `isCurrent`) and fails the remount on an access error; it returns metadata, never a value.
 */
export function secretsAccessPolicy(
  secretArns: readonly string[],
  kmsKeyArns: readonly string[],
  region: string,
) {
  const unique = (values: readonly string[]) => [...new Set(values)].sort();
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadListedSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: unique(secretArns),
      },
      ...(kmsKeyArns.length === 0
        ? []
        : [
            {
              Sid: "DecryptListedSecrets",
              Effect: "Allow",
              Action: ["kms:Decrypt"],
              Resource: unique(kmsKeyArns),
              Condition: {
                StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` },
              },
            },
          ]),
    ],
  };
}

/** A service's `secrets` setting, as config/secrets.ts validates it. */
export type SecretSources = Readonly<
  Record<
    string,
    {
      readonly arn?: string;
      readonly generated?: string;
      readonly key?: string;
      readonly kmsKeyArn?: string;
    }
  >
>;

/** The names of the secrets the stack generates, over all services, sorted and each once. */
export function generatedSecretNames(services: readonly { readonly secrets: SecretSources }[]) {
  const names = services.flatMap((s) =>
    Object.values(s.secrets).flatMap((src) => (src.generated ? [src.generated] : [])),
  );
  return [...new Set(names)].sort();
}

/** A service's mounts, with each generated secret's name turned into its ARN. */
export function secretMounts(
  secrets: SecretSources,
  generatedArns: Readonly<Record<string, pulumi.Input<string>>>,
): SecretMount[] {
  return Object.entries(secrets).map(([target, src]) => {
    const arn = src.arn ?? generatedArns[src.generated ?? ""];
    if (arn === undefined) {
      throw new Error(`secret ${target}: no ARN and no generated secret named ${src.generated}`);
    }
    return { target, arn, key: src.key, kmsKeyArn: src.kmsKeyArn };
  });
}
