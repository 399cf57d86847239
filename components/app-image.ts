// awsx's ecr module alone: the package index loads every awsx module (classic included), about
// a second of each `pulumi preview` that only this component would use.
import * as ecr from "@pulumi/awsx/ecr";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { assertValidArgs } from "../lib/args";
import { buildTag, contextHash, dockerPlatform, imageRefProblem } from "../lib/images";
import { Architecture } from "../lib/instance-types";

/** The sample service's build context. */
export const APP_CONTEXT = path.resolve(__dirname, "..", "app");

/** The arguments of {@link AppImage}. */
export interface AppImageArgs {
  /** An image built elsewhere (CI), by digest; empty or undefined builds `context`. @default "" */
  readonly imageRef?: string;
  /** The ECR repository to push a build to. @default - none (required) */
  readonly repositoryUrl: pulumi.Input<string>;
  /** The Docker build context, holding the Dockerfile. @default - the repository's app/ */
  readonly context?: string;
  /** The CPU architecture of the nodes that run the image. @default "x86_64" */
  readonly architecture?: Architecture;
}

/** Every problem with an {@link AppImageArgs}, one sentence each; empty when valid. */
export function validateAppImageArgs(args: AppImageArgs): string[] {
  const ref = args.imageRef ?? "";
  const problem = ref === "" ? undefined : imageRefProblem("imageRef", ref);
  return problem === undefined ? [] : [problem];
}

/**
 * The app's image reference, by digest: the one given, or `context` built and pushed with
 * `awsx.ecr.Image`. The tag is a hash of the build context and the platform: the repository's
 * tags are immutable, and awsx's default tag is the same for every build of a context, so a
 * second push of changed code (or of the same code for other nodes) would be refused; unchanged
 * code keeps its tag and pushes nothing.
 */
export class AppImage extends pulumi.ComponentResource {
  /** `<repository>@sha256:<digest>`: what a Deployment should run. */
  public readonly imageRef: pulumi.Output<string>;
  /** True when this stack builds the image, false when it deploys one given to it. */
  public readonly built: boolean;

  constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("AppImage", validateAppImageArgs(args));
    super("platform:registry:AppImage", name, {}, opts);
    const given = args.imageRef ?? "";

    if (given !== "") {
      this.built = false;
      this.imageRef = pulumi.output(given);
    } else {
      const context = args.context ?? APP_CONTEXT;
      const platform = dockerPlatform(args.architecture ?? Architecture.X86_64);
      const image = new ecr.Image(
        name,
        {
          repositoryUrl: args.repositoryUrl,
          context,
          platform,
          imageTag: buildTag(contextHash(context), platform),
        },
        { parent: this },
      );
      this.built = true;
      // awsx returns `<repository>@sha256:<digest>` once the push reports a digest.
      this.imageRef = image.imageUri;
    }
    this.registerOutputs({ imageRef: this.imageRef });
  }
}
