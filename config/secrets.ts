import { z } from "zod";
import { ENV_NAME, SECRET_ARN, SECRET_FILE, SECRET_JSON_KEY } from "../lib/service-secrets";
import { map, onObject, text } from "./fields";
import { KMS_KEY_ARN, dnsLabel } from "./patterns";
import { RESERVED_ENV_NAMES } from "./sets";

// A service's `secrets`: where each value goes (an environment variable or a file under
// /secrets) and which Secrets Manager secret it comes from. Only ARNs and names: no value is
// ever written in a stack file.

const TARGET_RULE =
  "must be an environment variable name or a file path /secrets/<name> (letters, digits, '.', '_', '-'; not starting with '.' or 'env.')";

const target = z
  .string({ error: TARGET_RULE })
  .refine((t) => ENV_NAME.test(t) || SECRET_FILE.test(t), { error: TARGET_RULE })
  .refine((t) => !(RESERVED_ENV_NAMES as readonly string[]).includes(t), {
    error: "must not be PORT: the platform sets it from the service's port",
  });

/** Where one secret value comes from: a secret by ARN, or one the stack generates. */
export const secretSourceSchema = z
  .strictObject(
    {
      arn: text(
        SECRET_ARN,
        "must be a Secrets Manager secret's full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)",
      ).optional(),
      generated: dnsLabel(40).optional(),
      key: text(
        SECRET_JSON_KEY,
        "must be a key of a JSON secret (1 to 128 letters, digits, '.', '_', '-')",
      ).optional(),
      kmsKeyArn: text(KMS_KEY_ARN, "must be a KMS key ARN").optional(),
    },
    {
      error:
        "must be an object with arn (a secret's ARN) or generated (a name), and optionally key and kmsKeyArn",
    },
  )
  .superRefine((source, ctx) => {
    const { arn, generated, key, kmsKeyArn } = source as Record<string, unknown>;
    if ((arn === undefined) === (generated === undefined)) {
      ctx.addIssue({
        code: "custom",
        message:
          "must set exactly one of arn (an existing secret) and generated (a secret the stack creates with a random value)",
        params: { value: { arn, generated } },
      });
    }
    if (generated !== undefined && (key !== undefined || kmsKeyArn !== undefined)) {
      ctx.addIssue({
        code: "custom",
        message:
          "must not set key or kmsKeyArn with generated: a generated secret is one plain value under the AWS-managed key",
        params: { value: { generated, key, kmsKeyArn } },
      });
    }
  }, onObject);

/** A service's secrets: target to source. */
export const secretsSchema = map(
  target,
  secretSourceSchema,
  "environment variable or /secrets/<file> to secret",
)
  // One SecretProviderClass holds them all; far fewer than its limits, and than a pod needs.
  .refine((secrets) => Object.keys(secrets).length <= 50, {
    error: "must hold at most 50 secrets",
  });
