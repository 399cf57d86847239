/**
 * Helm values of the secrets-delivery charts (lib/charts.ts `secretsStoreCsiDriver` and
 * `secretsStoreProviderAws`), as plain objects so tests read them without a cluster. Key names
 * follow each chart's values.yaml: kubernetes-sigs/secrets-store-csi-driver
 * charts/secrets-store-csi-driver/values.yaml (`syncSecret.enabled`, `enableSecretRotation`,
 * `rotationPollInterval`, `tokenRequests`) and aws/secrets-store-csi-driver-provider-aws
 * charts/secrets-store-csi-driver-provider-aws/values.yaml (`secrets-store-csi-driver.install`).
 */

/**
 * How often the driver re-reads every mounted secret, so a rotation reaches files (and the
 * synced Secret) within this time. Each poll costs a DescribeSecret per secret and pod ($0.05
 * per 10,000 calls): 10 minutes is about $0.02 a month per secret and pod. AWS's provider README
 * suggests an hour to save API calls; ten minutes keeps a rotation's overlap window short.
 */
export const DEFAULT_ROTATION_POLL_INTERVAL = "10m";

/** The audience of the token the driver hands ASCP: EKS Pod Identity's. */
export const POD_IDENTITY_AUDIENCE = "pods.eks.amazonaws.com";

/** Values of the secrets-store-csi-driver chart. */
export function secretsStoreDriverValues(input: { readonly rotationPollInterval: string }) {
  return {
    // The driver (not Pulumi) writes the Kubernetes Secret that environment variables read.
    syncSecret: { enabled: true },
    // The rotation reconciler remounts on this interval: new values reach files and the
    // synced Secret without a restart.
    enableSecretRotation: true,
    rotationPollInterval: input.rotationPollInterval,
    // ASCP authenticates as the pod through EKS Pod Identity with the token the kubelet mints
    // for this audience; the chart's default `tokenRequests: []` fails every mount with
    // "serviceAccount.tokens not provided". CSIDriver.spec.tokenRequests is set at install.
    tokenRequests: [{ audience: POD_IDENTITY_AUDIENCE }],
  };
}

/** Values of the secrets-store-csi-driver-provider-aws chart. */
export function secretsStoreProviderAwsValues() {
  return {
    // The driver is its own pinned release; the bundled copy would fight it for ownership.
    "secrets-store-csi-driver": { install: false },
  };
}
