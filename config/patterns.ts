import { ARN_PARTITION } from "../lib/arns";
import { text } from "./fields";

// The text formats the config accepts, in one place so the schema files read as rules.

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS label of at most `max` characters: node group and service (namespace) names. */
export const dnsLabel = (max: number) =>
  text(DNS_LABEL, "must be lower-case letters, digits and '-', starting with a letter").max(max, {
    error: `must be at most ${max} characters`,
  });

/** A lower-case DNS name of two or more labels, no wildcard: `apps.example.com`. */
export const DNS_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** The rule {@link DNS_NAME} enforces, as a message says it. */
export const DNS_NAME_RULE =
  "a lower-case DNS name such as apps.example.com (labels of letters, digits and '-', at most 253 characters)";
/** A Route 53 hosted zone id, as the console shows it: `Z` and up to 31 upper-case letters and digits. */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{4,31}$/;

/** An image reference pinned by digest: `<registry>/<repository>@sha256:<64 hex>`. */
export { IMAGE_BY_DIGEST } from "../lib/images";
/** The rule {@link IMAGE_BY_DIGEST} enforces, as a message says it. */
export const IMAGE_RULE =
  "must be an image reference by digest: <registry>/<repository>@sha256:<64 hex>";
/** An IAM role or user ARN, as EKS access entries take them. */
export { IAM_PRINCIPAL_ARN as PRINCIPAL_ARN } from "../lib/arns";
export { ROLE_ARN } from "../lib/arns";
/** An IAM managed policy ARN, AWS-managed or the account's own. */
export const POLICY_ARN = new RegExp(
  `^${ARN_PARTITION}:iam::(aws|\\d{12}):policy/[\\w+=,.@/-]{1,512}$`,
);
/** A KMS key ARN; its fourth field is the key's region. */
export const KMS_KEY_ARN = new RegExp(
  `^${ARN_PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/[a-f0-9-]{36}$`,
);
/** An EKS addon version such as `v1.19.0-eksbuild.1`. */
export const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
/** A Kubernetes CPU quantity: millicores (`250m`) or cores (`1.5`). */
export const QUANTITY_CPU = /^([1-9]\d{0,4}m|\d{1,3}(\.\d{1,3})?)$/;
/** A Kubernetes memory quantity in Mi or Gi. */
export const QUANTITY_MEMORY = /^[1-9]\d{0,5}(Mi|Gi)$/;
/** A Kubernetes label key. */
export const LABEL_KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?$/;
/** A Kubernetes label value, possibly empty. */
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
// AWS's tag pattern, without line and paragraph separators; `aws:` is AWS's, in any case.
/** An AWS tag key a stack may set. */
export const TAG_KEY = /^(?![aA][wW][sS]:)[\p{L}\p{Zs}\p{N}_.:/=+\-@]{1,128}$/u;
/** An AWS tag value. */
export const TAG_VALUE = /^[\p{L}\p{Zs}\p{N}_.:/=+\-@]{0,256}$/u;
