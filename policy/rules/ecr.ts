import { Enforcement, Rule, Severity } from "./types";
import { field, linksTo, objects, ofType } from "./util";

const REPOSITORY = "aws:ecr/repository:Repository";
const LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

/** Rules for the container registry. */
export const ecrRules: readonly Rule[] = [
  {
    id: "ecr-immutable-tags",
    description:
      "ECR repositories use immutable tags, so a tag always names the same image and a deployment can be reproduced",
    severity: Severity.High,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [REPOSITORY],
    scope: "resource",
    check(r) {
      const m = field(r, "imageTagMutability");
      return m === "IMMUTABLE"
        ? undefined
        : `imageTagMutability is ${JSON.stringify(m ?? "MUTABLE (the default)")}; set it to "IMMUTABLE"`;
    },
  },
  {
    id: "ecr-scan-on-push",
    description: "ECR repositories scan every image for known vulnerabilities when it is pushed",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [REPOSITORY],
    scope: "resource",
    check(r) {
      return field(r, "imageScanningConfiguration.scanOnPush") === true
        ? undefined
        : "imageScanningConfiguration.scanOnPush is not true";
    },
  },
  {
    id: "ecr-kms-encryption",
    description:
      "ECR repositories are encrypted with KMS (the AWS-managed aws/ecr key or a customer key), not the default AES256",
    severity: Severity.Medium,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [REPOSITORY],
    scope: "resource",
    check(r) {
      const type = objects(field(r, "encryptionConfigurations"))[0]?.encryptionType;
      return type === "KMS"
        ? undefined
        : `encryptionConfigurations[0].encryptionType is ${JSON.stringify(type ?? "AES256 (the default)")}; set it to "KMS"`;
    },
  },
  {
    id: "ecr-lifecycle-policy",
    description:
      "Every ECR repository has a lifecycle policy, so old and untagged images expire instead of accruing storage",
    severity: Severity.Low,
    enforcement: Enforcement.Mandatory,
    resourceTypes: [REPOSITORY],
    scope: "stack",
    check(r, { resources }) {
      const found = ofType(resources, LIFECYCLE_POLICY).some((p) => linksTo(p, r, "repository"));
      return found ? undefined : "no aws.ecr.LifecyclePolicy refers to this repository";
    },
  },
];
