/**
 * The EKS Pod Identity Agent: a host-network DaemonSet that pods reach on a link-local address
 * for their credentials. A pod behind a default-deny egress policy needs a rule for it.
 */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** Whose pods may assume a role through Pod Identity. */
export interface PodIdentitySubject {
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * The trust policy of a Pod Identity role, as the EKS user guide gives it ("Create IAM role with
 * trust policy required by EKS Pod Identity"): the `pods.eks.amazonaws.com` service may assume
 * it and tag the session. The conditions on the session tags Pod Identity sets restrict it to
 * one cluster, namespace and service account, so no other association in the account can use
 * the role.
 */
export function podIdentityTrustPolicy(subject: PodIdentitySubject) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-name": subject.clusterName,
            "aws:RequestTag/kubernetes-namespace": subject.namespace,
            "aws:RequestTag/kubernetes-service-account": subject.serviceAccount,
          },
        },
      },
    ],
  };
}
