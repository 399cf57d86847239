import { PRODUCTION_MAX_PUBLIC_ADDRESSES } from "../../config/rules";
import { devService, expectRejected, parseStack } from "./support";

// Boundaries of the cross-field rules, found by mutation testing: each pair pins the exact
// edge, so a `<` that should be `<=` (or the reverse) fails here.

describe("a production API endpoint allow-list", () => {
  it("may admit exactly a /8's worth of addresses: the limit is inclusive", () => {
    expect(PRODUCTION_MAX_PUBLIC_ADDRESSES).toBe(2 ** 24);
    const config = parseStack("prod", { publicAccessCidrs: ["11.0.0.0/8"] });
    expect(config.publicAccessCidrs).toEqual(["11.0.0.0/8"]);
  });

  it("may not admit one address more than a /8", () => {
    expectRejected({
      name: "a /8 and one more address in production",
      base: "prod",
      change: { publicAccessCidrs: ["11.0.0.0/8", "12.0.0.1/32"] },
      expect:
        'platform:publicAccessCidrs: must admit at most 16777216 addresses (a /8\'s worth) to the API endpoint in a production stack; these admit 16777217; got ["11.0.0.0/8","12.0.0.1/32"]',
    });
  });
});

describe("a service's requests against the largest node (dev: the NodePool's 4 vCPUs, 16 GiB)", () => {
  it("may ask for just under the node's CPU and memory", () => {
    const config = parseStack("dev", devService({ cpu: "3999m", memory: "16383Mi" }));
    expect(config.services.app).toMatchObject({ cpu: "3999m", memory: "16383Mi" });
  });

  it("may not ask for all of the node's vCPUs: the node keeps some for itself", () => {
    expectRejected({
      name: "a service requesting every vCPU of the node",
      base: "dev",
      change: devService({ cpu: "4" }),
      expect:
        'platform:services.app.cpu: must be less than the 4 vCPUs of the largest node (the node keeps some for itself), or the pods never schedule; got "4"',
    });
  });

  it("may not ask for all of the node's memory", () => {
    expectRejected({
      name: "a service requesting all the memory of the node",
      base: "dev",
      change: devService({ memory: "16Gi" }),
      expect:
        'platform:services.app.memory: must be less than the 16 GiB of the largest node (the node keeps some for itself), or the pods never schedule; got "16Gi"',
    });
  });
});
