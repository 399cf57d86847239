import {
  EcrRepositoryArgs,
  lifecyclePolicy,
  validateEcrRepositoryArgs,
} from "../../components/ecr";
import type { EcrRepository } from "../../components/ecr";
import { RecordedResource, findResource, useMocks, valueOf } from "../harness";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
// dev: AWS-managed key, images may go with a destroy; prod: customer key, protected.
const DEV: EcrRepositoryArgs = {
  repositoryName: "platform-dev/app",
  untaggedExpiryDays: 7,
  keepTaggedImages: 30,
  forceDelete: true,
  protection: { protect: false },
  tags: { "pulumi:stack": "dev" },
};
const PROD: EcrRepositoryArgs = {
  repositoryName: "platform-prod/app",
  kmsKeyArn: KEY,
  untaggedExpiryDays: 3,
  keepTaggedImages: 100,
  forceDelete: false,
  protection: { protect: true },
  tags: { "pulumi:stack": "prod" },
};

let resources: RecordedResource[];
let done: () => Promise<void>;
let repos: Record<"dev" | "prod" | "defaults", EcrRepository>;

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const { EcrRepository } = await import("../../components/ecr");
  repos = {
    dev: new EcrRepository("dev", DEV),
    prod: new EcrRepository("prod", PROD),
    defaults: new EcrRepository("defaults", {
      repositoryName: "platform-x/app",
      kmsKeyArn: "",
      protection: { protect: false },
    }),
  };
  await Promise.all(Object.values(repos).map((r) => valueOf(r.repositoryUrl)));
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(() => done());

const repository = (name: string) => findResource(resources, "aws:ecr/repository:Repository", name);
const policy = (name: string) =>
  JSON.parse(
    findResource(resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy", name).inputs
      .policy as string,
  ) as ReturnType<typeof lifecyclePolicy>;

describe("EcrRepository", () => {
  it.each(["dev", "prod"])("%s: makes tags immutable and scans every push", (name) => {
    expect(repository(name).inputs).toMatchObject({
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
    });
  });

  it("encrypts with the AWS-managed KMS key when no key is given", () => {
    for (const name of ["dev", "defaults"]) {
      expect(repository(name).inputs.encryptionConfigurations).toEqual([{ encryptionType: "KMS" }]);
    }
  });

  it("encrypts with the customer key when one is given", () => {
    expect(repository("prod").inputs.encryptionConfigurations).toEqual([
      { encryptionType: "KMS", kmsKey: KEY },
    ]);
  });

  it("uses the derived repository name and tags it", () => {
    expect(repository("prod").inputs).toMatchObject({
      name: "platform-prod/app",
      tags: { "pulumi:stack": "prod", Name: "platform-prod/app" },
    });
  });

  it("lets a destroy delete images only where args allow it", () => {
    expect(repository("dev").inputs.forceDelete).toBe(true);
    expect(repository("prod").inputs.forceDelete).toBe(false);
    expect(repository("defaults").inputs.forceDelete).toBe(false);
  });

  it("protects the repository when protection is on", () => {
    expect(repository("prod").options.protect).toBe(true);
    expect(repository("dev").options.protect).toBe(false);
  });

  it("attaches a lifecycle policy built from the args", () => {
    const lifecycle = findResource(resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "prod");
    expect(lifecycle.inputs.repository).toBe("platform-prod/app");
    expect(policy("prod")).toEqual(lifecyclePolicy(3, 100));
    expect(policy("dev")).toEqual(lifecyclePolicy(7, 30));
  });

  it("defaults to expiring untagged images after 7 days and keeping 30 tagged ones", () => {
    expect(policy("defaults")).toEqual(lifecyclePolicy(7, 30));
  });

  it("exposes the repository URL, ARN and name", async () => {
    expect(await valueOf(repos.prod.repositoryUrl)).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-prod/app",
    );
    expect(await valueOf(repos.prod.name)).toBe("platform-prod/app");
    expect(await valueOf(repos.prod.arn)).toContain("platform-prod/app");
  });
});

describe("lifecyclePolicy", () => {
  it("expires untagged images N days after push, then keeps the last M tagged images", () => {
    expect(lifecyclePolicy(7, 30)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: "Expire untagged images 7 days after push",
          selection: {
            tagStatus: "untagged",
            countType: "sinceImagePushed",
            countUnit: "days",
            countNumber: 7,
          },
          action: { type: "expire" },
        },
        {
          rulePriority: 2,
          description: "Keep the 30 most recent tagged images",
          selection: {
            tagStatus: "tagged",
            tagPatternList: ["*"],
            countType: "imageCountMoreThan",
            countNumber: 30,
          },
          action: { type: "expire" },
        },
      ],
    });
  });

  it("follows ECR's rules: unique priorities, no tag list on untagged, a list on tagged", () => {
    const { rules } = lifecyclePolicy(1, 1);
    expect(new Set(rules.map((r) => r.rulePriority)).size).toBe(rules.length);
    for (const r of rules) {
      if (r.selection.tagStatus === "untagged") {
        expect(r.selection.tagPatternList).toBeUndefined();
      } else {
        expect(r.selection.tagPatternList?.length).toBeGreaterThan(0);
      }
      // countUnit only goes with sinceImagePushed.
      expect(r.selection.countUnit !== undefined).toBe(
        r.selection.countType === "sinceImagePushed",
      );
    }
  });
});

describe("validateEcrRepositoryArgs", () => {
  it("accepts both stacks' settings", () => {
    expect(validateEcrRepositoryArgs(DEV)).toEqual([]);
    expect(validateEcrRepositoryArgs(PROD)).toEqual([]);
  });

  it.each<[string, Partial<EcrRepositoryArgs>, string]>([
    [
      "an upper-case name",
      { repositoryName: "Platform/App" },
      "repositoryName must be 2 to 256 characters of lower-case letters and digits, separated by '.', '_', '-' or '/'; got \"Platform/App\"",
    ],
    [
      "a key that is not a KMS key ARN",
      { kmsKeyArn: "alias/aws/ecr" },
      'kmsKeyArn must be empty or a KMS key ARN; got "alias/aws/ecr"',
    ],
    [
      "no expiry",
      { untaggedExpiryDays: 0 },
      "untaggedExpiryDays must be a whole number from 1 to 365; got 0",
    ],
    [
      "too many images to keep",
      { keepTaggedImages: 1001 },
      "keepTaggedImages must be a whole number from 1 to 1000; got 1001",
    ],
  ])("rejects %s with an exact message", (_, change, message) => {
    expect(validateEcrRepositoryArgs({ ...DEV, ...change })).toEqual([message]);
  });
});
