/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/integration/"],
  transform: { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // No unhandled-rejection trap is needed: jest 30 fails the running test when an un-awaited
  // apply throws (test/harness.test.ts proves it in a child jest), and listeners in a setup
  // file would never fire, as each test file gets its own `process` emitter.
  testTimeout: 30000,
  // Each test file runs the Pulumi runtime once; two workers match the 2-core CI machine.
  maxWorkers: 2,
};
