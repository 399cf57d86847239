// Runs a stack with config overrides in a process of its own and prints, as JSON, what was
// registered and how the run failed. A separate process because the Pulumi runtime re-rejects
// a failed program's stack promise on purpose, and jest fails any test that sees that.
import { runStack } from "../harness";
import { RecordingMocks } from "../../tools/mocks";

const [stack = "dev", overrides = "{}", mode = ""] = process.argv.slice(2);
const registered: string[] = [];
const newResource = RecordingMocks.prototype.newResource;
RecordingMocks.prototype.newResource = function (args) {
  registered.push(`${args.type}::${args.name}`);
  return newResource.call(this, args);
};
const rejections: unknown[] = [];
process.on("unhandledRejection", (reason) => rejections.push(reason));

function report(error: unknown): void {
  // Let the runtime's own rejections of the same error arrive before reporting.
  setTimeout(() => {
    const e = error as { name?: string; message?: string; isConfigError?: boolean } | undefined;
    process.stdout.write(
      JSON.stringify({
        registered,
        error: e && { name: e.name, message: e.message, isConfigError: e.isConfigError === true },
        otherFailures: rejections.filter((r) => r !== error).map(String),
      }),
    );
  }, 100);
}

// `as-shipped`: the stack file as it is, placeholders included, as a real `pulumi up` gets it;
// `preview`: as `pulumi preview` runs it.
runStack(stack, JSON.parse(overrides) as Record<string, unknown>, {
  asShipped: mode === "as-shipped",
  preview: mode === "preview",
}).then(
  () => report(undefined),
  (error: unknown) => report(error),
);
