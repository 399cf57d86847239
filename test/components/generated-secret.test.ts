import { validateGeneratedSecretArgs } from "../../components/generated-secret";

describe("GeneratedSecret arguments", () => {
  it("accepts a Secrets Manager name prefix and a 7 to 30 day recovery window", () => {
    expect(
      validateGeneratedSecretArgs({ namePrefix: "platform-dev/api-token-", recoveryWindowDays: 7 }),
    ).toEqual([]);
  });

  it("lists every problem: a window Secrets Manager refuses, a name it cannot hold", () => {
    expect(validateGeneratedSecretArgs({ namePrefix: "bad name!", recoveryWindowDays: 0 })).toEqual(
      [
        "recoveryWindowDays must be a whole number from 7 to 30 (Secrets Manager's range); got 0",
        'namePrefix must be letters, digits and /_+=.@- (a Secrets Manager name); got "bad name!"',
      ],
    );
  });
});
