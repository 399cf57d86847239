import { parseConfig } from "../../config/load";
import { placeholderProblems, placeholderReason } from "../../config/placeholders";

describe("placeholderReason", () => {
  it.each([
    ["203.0.113.0/24", "documentation range 203.0.113.0/24"],
    ["198.51.100.7/32", "documentation range 198.51.100.0/24"],
    ["192.0.2.10", "documentation range 192.0.2.0/24"],
    ["apps.example.com", "documentation domain"],
    ["https://grafana.example.org/login", "documentation domain"],
    ["team@example.net", "documentation domain"],
    ["svc.corp.example", "documentation domain"],
    ["arn:aws:iam::123456789012:role/deploy", "documentation account 123456789012"],
    ["Z0000000000EXAMPLE", "documentation example id"],
  ])("finds %s a placeholder (%s)", (text, reason) => {
    expect(placeholderReason(text)).toContain(reason);
  });

  it.each([
    "52.94.0.0/24",
    "10.0.0.0/16",
    "203.0.112.0/24",
    "apps.mycompany.com",
    "examples.com",
    "arn:aws:iam::210987654321:role/deploy",
    "1234567890123",
  ])("leaves a real value alone: %s", (text) => {
    expect(placeholderReason(text)).toBeUndefined();
  });
});

describe("placeholderProblems", () => {
  it("names every placeholder by its key and path, with what to put there", () => {
    const config = parseConfig(
      {
        "aws:region": "us-east-1",
        "platform:publicAccessCidrs": '["52.94.0.0/24","198.51.100.0/24"]',
        "platform:access": '{"admins":["arn:aws:iam::123456789012:role/admin"]}',
      },
      { project: "platform", stack: "dev" },
    );
    expect(placeholderProblems(config).map((p) => [p.key, p.value])).toEqual([
      ["platform:access.admins[0]", '"arn:aws:iam::123456789012:role/admin"'],
      ["platform:publicAccessCidrs[1]", '"198.51.100.0/24"'],
    ]);
    expect(placeholderProblems(config)[0]!.rule).toContain("put the ARNs of your real roles");
  });

  it("finds none in a stack file that holds real values", () => {
    const config = parseConfig(
      { "aws:region": "us-east-1", "platform:publicAccessCidrs": '["52.94.0.0/24"]' },
      { project: "platform", stack: "dev" },
    );
    expect(placeholderProblems(config)).toEqual([]);
  });
});
