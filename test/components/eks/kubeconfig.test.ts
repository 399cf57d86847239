import fc from "fast-check";
import { KubeconfigInput, buildKubeconfig, updateKubeconfigCommand } from "../../../components/eks";

const INPUT: KubeconfigInput = {
  clusterName: "platform-dev",
  endpoint: "https://ABC123.gr7.us-east-1.eks.amazonaws.com",
  certificateAuthorityData: "LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t",
  region: "us-east-1",
};

describe("buildKubeconfig", () => {
  it("authenticates with aws eks get-token through the v1beta1 exec plugin, no profile baked in", () => {
    expect(JSON.parse(buildKubeconfig(INPUT))).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "platform-dev",
          cluster: {
            server: INPUT.endpoint,
            "certificate-authority-data": INPUT.certificateAuthorityData,
          },
        },
      ],
      contexts: [
        { name: "platform-dev", context: { cluster: "platform-dev", user: "platform-dev" } },
      ],
      "current-context": "platform-dev",
      preferences: {},
      users: [
        {
          name: "platform-dev",
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: [
                "eks",
                "get-token",
                "--cluster-name",
                "platform-dev",
                "--region",
                "us-east-1",
                "--output",
                "json",
              ],
              interactiveMode: "Never",
            },
          },
        },
      ],
    });
  });

  it("runs get-token with the profile as AWS_PROFILE and the role as --role-arn, as update-kubeconfig does", () => {
    const exec = (
      JSON.parse(
        buildKubeconfig({
          ...INPUT,
          profile: "platform",
          roleArn: "arn:aws:iam::123456789012:role/PlatformAdmin",
        }),
      ) as { users: { user: { exec: { args: string[]; env: unknown } } }[] }
    ).users[0]?.user.exec;
    expect(exec?.env).toEqual([{ name: "AWS_PROFILE", value: "platform" }]);
    expect(exec?.args.slice(6)).toEqual([
      "--role-arn",
      "arn:aws:iam::123456789012:role/PlatformAdmin",
      "--output",
      "json",
    ]);
  });

  it("treats an empty profile and role (the config defaults) as none", () => {
    expect(buildKubeconfig({ ...INPUT, profile: "", roleArn: "" })).toBe(buildKubeconfig(INPUT));
  });

  it("gives the same text for the same inputs, whenever it runs", () => {
    const input = fc.record({
      clusterName: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
      endpoint: fc.webUrl(),
      certificateAuthorityData: fc.base64String(),
      region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2"),
      profile: fc.option(fc.stringMatching(/^[a-z]{1,10}$/), { nil: undefined }),
      roleArn: fc.option(fc.constant("arn:aws:iam::123456789012:role/R"), { nil: undefined }),
    });
    jest.useFakeTimers();
    try {
      fc.assert(
        fc.property(input, fc.date({ noInvalidDate: true }), (i, later) => {
          jest.setSystemTime(new Date("2026-01-01T00:00:00Z"));
          const first = buildKubeconfig(i);
          jest.setSystemTime(later);
          return buildKubeconfig({ ...i }) === first && !/"token"|expiration/i.test(first);
        }),
        { numRuns: 40 },
      );
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("updateKubeconfigCommand", () => {
  it("names the cluster and region", () => {
    expect(updateKubeconfigCommand(INPUT)).toBe(
      "aws eks update-kubeconfig --name platform-dev --region us-east-1",
    );
  });

  it("adds the profile and role when they are set", () => {
    expect(
      updateKubeconfigCommand({ ...INPUT, profile: "platform", roleArn: "arn:aws:iam::1:role/R" }),
    ).toBe(
      "aws eks update-kubeconfig --name platform-dev --region us-east-1 --profile platform --role-arn arn:aws:iam::1:role/R",
    );
  });
});
