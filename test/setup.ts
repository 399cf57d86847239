// jest 30 fails the running test on an unhandled rejection (an exception inside an
// un-awaited `apply`) instead of crashing the worker; test/harness.test.ts proves it in a
// child jest, so a future jest that stops doing so fails the suite. Listeners added here
// would never fire: jest gives each test file its own `process` event emitter.
export {};
