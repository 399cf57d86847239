// An exception in an un-awaited `apply` surfaces as an unhandled rejection, which would kill
// the jest worker with no summary. Trap it and fail the test that was running instead.
const rejections: unknown[] = [];
const trap = (reason: unknown) => rejections.push(reason);

beforeEach(() => {
  rejections.length = 0;
  process.on("unhandledRejection", trap);
});

afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  process.off("unhandledRejection", trap);
  if (rejections.length > 0) {
    const first = rejections[0];
    throw new Error(
      `unhandled rejection during the test (an apply or un-awaited promise failed): ${
        first instanceof Error ? first.stack : String(first)
      }`,
    );
  }
});
