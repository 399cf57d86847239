import * as fs from "fs";
import * as path from "path";
import { guardPreview, parsePreview } from "../../tools/guard-preview";

// Found by mutation testing: an --allow entry must name a whole URN or a whole type. Matching
// part of a URN would let `--allow prod` (or a resource's short name) wave through every
// replacement of the stack.

const preview = () =>
  parsePreview(fs.readFileSync(path.join(__dirname, "fixtures", "replace-subnet.json"), "utf8"));
const SUBNET_URN =
  "urn:pulumi:prod::platform::platform:network:Vpc$aws:ec2/subnet:Subnet::platform-prod-private-a";

describe("the preview guard's --allow", () => {
  it.each([
    ["the stack name", "prod"],
    ["the resource's name", "platform-prod-private-a"],
    ["the URN without its name", SUBNET_URN.slice(0, SUBNET_URN.lastIndexOf("::"))],
    ["a type prefix", "aws:ec2/subnet"],
  ])("does not let a replacement through for part of its URN (%s)", (_, allow) => {
    const result = guardPreview(preview(), { allow: [allow] });
    expect(result.ok).toBe(false);
    expect(result.blocked.map((f) => f.urn)).toEqual([SUBNET_URN]);
    expect(result.allowed).toEqual([]);
  });

  it("lets it through for the whole URN", () => {
    const result = guardPreview(preview(), { allow: [SUBNET_URN] });
    expect(result.ok).toBe(true);
    expect(result.allowed.map((f) => f.allowedBy)).toEqual([SUBNET_URN]);
  });
});
