import { spawnSync } from "child_process";
import * as path from "path";

const root = path.resolve(__dirname, "..");

describe("the mock harness", () => {
  it("fails the test whose un-awaited apply throws, and carries on with the next one", () => {
    const result = spawnSync(
      process.execPath,
      [
        require.resolve("jest/bin/jest"),
        "--ci",
        "--testMatch",
        "**/test/fixtures/failing-apply.fixture.ts",
        "--testPathIgnorePatterns",
        "/node_modules/",
      ],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status).toBe(1);
    expect(output).toContain("✕ throws inside an apply nobody awaits");
    expect(output).toContain("boom inside apply");
    expect(output).toContain("✓ still runs the next test");
    expect(output).toMatch(/Tests:\s+1 failed, 1 passed, 2 total/);
  });
});
