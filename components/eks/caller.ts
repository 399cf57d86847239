import * as aws from "@pulumi/aws";
import { ConfigError } from "../../config/errors";
import type { Config } from "../../config/load";
import { unexpectedCaller } from "./access";

/**
 * The IAM role running this program: the role behind an assumed-role session (an IAM user's
 * ARN comes back unchanged). Throws a {@link ConfigError} on `access`, before any resource is
 * registered, when no admin is configured and the caller is a read-only principal, which would
 * otherwise plan to hand it the admin entry (a CI preview, the drift check).
 */
export async function deployingRole(config: Config): Promise<string> {
  const caller = await aws.getCallerIdentity({});
  const { issuerArn } = await aws.iam.getSessionContext({ arn: caller.arn });
  const problem = unexpectedCaller(config.access, issuerArn);
  if (problem) {
    throw new ConfigError(config.stack, [
      { key: `${config.project}:access`, rule: problem, value: JSON.stringify(config.access) },
    ]);
  }
  return issuerArn;
}
