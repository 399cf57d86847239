import * as path from "path";
import type { AppImage } from "../../components/app-image";
import { contextHash } from "../../lib/images";
import { RecordedResource, childrenOf, findResource, ofType, useMocks, valueOf } from "../harness";

const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform-dev/app";
const GIVEN = `${REPO}@sha256:${"0123456789abcdef".repeat(4)}`;
const APP = path.resolve(__dirname, "..", "..", "app");

let resources: RecordedResource[];
let done: () => Promise<void>;
let images: Record<"given" | "built" | "arm", AppImage>;

beforeAll(async () => {
  ({ resources, done } = await useMocks());
  const { AppImage } = await import("../../components/app-image");
  images = {
    given: new AppImage("given", { imageRef: GIVEN, repositoryUrl: REPO }),
    built: new AppImage("built", { imageRef: "", repositoryUrl: REPO }),
    arm: new AppImage("arm", { repositoryUrl: REPO, architecture: "arm64" }),
  };
  await Promise.all(Object.values(images).map((i) => valueOf(i.imageRef)));
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(() => done());

const childImages = (name: string) =>
  ofType(
    childrenOf(resources, findResource(resources, "platform:registry:AppImage", name)),
    "awsx:ecr:Image",
  );

describe("AppImage", () => {
  it("deploys a given image reference as is and builds nothing", async () => {
    expect(images.given.built).toBe(false);
    expect(await valueOf(images.given.imageRef)).toBe(GIVEN);
    expect(childImages("given")).toEqual([]);
  });

  it("builds and pushes app/ with awsx.ecr.Image when no reference is given", () => {
    expect(images.built.built).toBe(true);
    const built = childImages("built");
    expect(built).toHaveLength(1);
    expect(built[0]?.inputs).toMatchObject({
      repositoryUrl: REPO,
      context: APP,
      platform: "linux/amd64",
    });
    expect(ofType(resources, "awsx:ecr:Image")).toHaveLength(2);
  });

  it("tags the build with a hash of its context, so unchanged code pushes no new image", () => {
    const hash = contextHash(APP).slice(0, 32);
    expect(childImages("built")[0]?.inputs.imageTag).toBe(`src-${hash}-amd64`);
  });

  it("tags each platform's build apart, since the repository refuses to move a tag", () => {
    expect(childImages("arm")[0]?.inputs.imageTag).toBe(
      `src-${contextHash(APP).slice(0, 32)}-arm64`,
    );
  });

  it("builds for the nodes' architecture", () => {
    expect(childImages("arm")[0]?.inputs.platform).toBe("linux/arm64");
  });

  it("exposes the pushed image by digest", async () => {
    expect(await valueOf(images.built.imageRef)).toMatch(
      new RegExp(`^${REPO.replace(/\./g, "\\.")}@sha256:[0-9a-f]{64}$`),
    );
  });

  it("refuses a reference that is not by digest, with an exact message, before building", async () => {
    const { AppImage } = await import("../../components/app-image");
    const before = resources.length;
    expect(() => new AppImage("bad", { imageRef: `${REPO}:latest`, repositoryUrl: REPO })).toThrow(
      "invalid AppImage arguments:\n" +
        `  - imageRef must be an image reference by digest: <registry>/<repository>@sha256:<64 hex>; got "${REPO}:latest"`,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resources.length).toBe(before);
  });
});
