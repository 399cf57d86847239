import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartRelease } from "./chart-release";
import { assertValidArgs, shown } from "../../lib/args";
import { ChartKey } from "../../lib/charts";
import {
  DEFAULT_ROTATION_POLL_INTERVAL,
  secretsStoreDriverValues,
  secretsStoreProviderAwsValues,
} from "../../lib/secrets-delivery-values";

/** The arguments of {@link SecretsDelivery}. */
export interface SecretsDeliveryArgs {
  /** The Kubernetes provider of the cluster. @default - none */
  readonly provider: k8s.Provider;
  /** How often mounted secrets are re-read, a Go duration such as `10m`. @default "10m" */
  readonly rotationPollInterval?: string;
  /**
   * What the releases need first and must outlive: the node groups the DaemonSets run on, and
   * the private egress (NAT) ASCP calls Secrets Manager and EKS Auth through. @default []
   */
  readonly requires?: pulumi.Resource[];
}

const DURATION = /^([1-9]\d{0,3})(s|m|h)$/;

/** Every problem with {@link SecretsDeliveryArgs}, one sentence each. */
export function validateSecretsDeliveryArgs(args: SecretsDeliveryArgs): string[] {
  const interval = args.rotationPollInterval ?? DEFAULT_ROTATION_POLL_INTERVAL;
  const match = DURATION.exec(interval);
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as "s"] : 0;
  return seconds >= 60 && seconds <= 86400
    ? []
    : [
        `rotationPollInterval must be a duration from 1m to 24h such as "10m" (shorter polls cost API calls on every pod); got ${shown(interval)}`,
      ];
}

/**
 * Secrets from AWS Secrets Manager into pods: the Secrets Store CSI Driver and the AWS provider
 * (ASCP), pinned Helm releases in kube-system. Both are DaemonSets that need host access (the
 * driver is privileged to mount volumes), which is why they live there and never in a service
 * namespace: services keep PSS "restricted", whose allowed volume types include `csi`.
 *
 * ASCP fetches each secret as the pod that mounts it (EKS Pod Identity, `usePodIdentity` in the
 * SecretProviderClass), so the releases hold no AWS permission of their own. Chosen over the
 * External Secrets Operator for that reason: with ESO one controller role reads every
 * service's secrets and copies each into a Kubernetes Secret; here each service's own role
 * reads exactly its listed ARNs, and file targets never become a Kubernetes object at all.
 *
 * Services depend on {@link releases}: a destroy deletes their SecretProviderClasses and pods
 * (whose volumes the driver must unmount) before the driver goes.
 */
export class SecretsDelivery extends pulumi.ComponentResource {
  /** The driver release: installs the SecretProviderClass CRD and the CSIDriver. */
  public readonly driverRelease: k8s.helm.v3.Release;
  /** The AWS provider release. */
  public readonly providerRelease: k8s.helm.v3.Release;
  /** What a service with secrets depends on: both releases. */
  public readonly releases: pulumi.Resource[];

  constructor(name: string, args: SecretsDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    assertValidArgs("SecretsDelivery", validateSecretsDeliveryArgs(args));
    super("platform:k8s:SecretsDelivery", name, {}, opts);
    const release = (key: ChartKey, values: object, dependsOn: pulumi.Resource[]) =>
      chartRelease(
        name,
        key,
        { values },
        {
          parent: this,
          provider: args.provider,
          dependsOn: [...dependsOn, ...(args.requires ?? [])],
        },
      );

    this.driverRelease = release(
      "secretsStoreCsiDriver",
      secretsStoreDriverValues({
        rotationPollInterval: args.rotationPollInterval ?? DEFAULT_ROTATION_POLL_INTERVAL,
      }),
      [],
    );
    // The provider registers on the driver's socket directory; installed after it, removed first.
    this.providerRelease = release("secretsStoreProviderAws", secretsStoreProviderAwsValues(), [
      this.driverRelease,
    ]);
    this.releases = [this.driverRelease, this.providerRelease];
    this.registerOutputs({});
  }
}
