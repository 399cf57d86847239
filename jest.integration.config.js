// The integration test: a real Pulumi CLI and AWS account, opted into with PLATFORM_INTEGRATION=1
// (and PLATFORM_E2E_DEPLOY=1 for a real up and destroy). `npm run test:integration`.
const base = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/test/integration"],
  testMatch: ["**/*.integration.test.ts"],
  testPathIgnorePatterns: ["/node_modules/"],
  // One stack at a time: an EKS deploy takes most of an hour.
  maxWorkers: 1,
  testTimeout: 60 * 60 * 1000,
};
