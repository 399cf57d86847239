import { Address4 } from "ip-address";

/** A parsed IPv4 CIDR block: its network address as a number and its prefix length. */
export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly base: bigint;
  /** The prefix length, 0 to 32. */
  readonly prefix: number;
}

const CIDR_SHAPE = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * Parses `a.b.c.d/n` with the ip-address library. Returns an error sentence instead of
 * throwing, so validators can collect it; rejects host bits set (`10.0.0.1/16`).
 */
export function parseCidr(text: string): Cidr | string {
  if (!CIDR_SHAPE.test(text) || !Address4.isValid(text)) {
    return "must be an IPv4 CIDR block such as 10.0.0.0/16";
  }
  const address = new Address4(text);
  const prefix = address.subnetMask;
  if (prefix > 32) return "must have a prefix length from /0 to /32";
  const network = address.startAddress().bigInt();
  if (network !== address.bigInt()) {
    return `has host bits set; the network address is ${address.startAddress().address}/${prefix}`;
  }
  return { base: network, prefix };
}

/** Formats a parsed block back to `a.b.c.d/n`. */
export function formatCidr(cidr: Cidr): string {
  return `${Address4.fromBigInt(cidr.base).address}/${cidr.prefix}`;
}

/** The number of addresses in a block. */
export function blockSize(prefix: number): bigint {
  return 1n << BigInt(32 - prefix);
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.base >= outer.base &&
    inner.base + blockSize(inner.prefix) <= outer.base + blockSize(outer.prefix)
  );
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

/** RFC 1918 private space and the RFC 6598 shared range: where a VPC's addresses come from. */
export const PRIVATE_RANGES: readonly string[] = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
];

/**
 * The Kubernetes service CIDR of every cluster, set explicitly so it never depends on what
 * EKS picks from the VPC range: changing it replaces the cluster. It must not overlap the VPC.
 */
export const KUBERNETES_SERVICE_CIDR = "172.20.0.0/16";

/** Every IPv4 address: 2^32. */
export const ALL_IPV4_ADDRESSES = 2n ** 32n;

/** How many distinct addresses a set of blocks admits (overlaps counted once). */
export function addressesCovered(blocks: readonly Cidr[]): bigint {
  const sorted = [...blocks].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  let total = 0n;
  let end = 0n;
  for (const b of sorted) {
    const start = b.base > end ? b.base : end;
    const stop = b.base + blockSize(b.prefix);
    if (stop > start) total += stop - start;
    if (stop > end) end = stop;
  }
  return total;
}

/**
 * True when an allow-list opens an endpoint to every IPv4 address: blocks that together cover
 * them all (`0.0.0.0/0`, or `0.0.0.0/1` plus `128.0.0.0/1`), or an empty list, which EKS reads
 * as 0.0.0.0/0. Unparseable entries are ignored here; validation reports them.
 */
export function isWorldOpen(cidrs: readonly string[]): boolean {
  const blocks = cidrs.map(parseCidr).filter((b): b is Cidr => typeof b !== "string");
  return cidrs.length === 0 || addressesCovered(blocks) === ALL_IPV4_ADDRESSES;
}
