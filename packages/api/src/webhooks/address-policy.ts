import ipaddr from "ipaddr.js";

/**
 * Which addresses a webhook may reach (SSRF): only global unicast ones. Private
 * (10/8, 172.16/12, 192.168/16), loopback, link-local (169.254/16, the cloud
 * metadata service among them; fe80::/10), unique-local (fc00::/7),
 * carrier-grade NAT, multicast, unspecified, reserved and documentation ranges,
 * and IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo)
 * are refused, unless the operator allows the host or the address by name in
 * `WEBHOOK_ALLOWED_HOSTS`.
 */
export interface AddressPolicy {
  /** Lower-case host names and IP addresses (normalized) that may be reached whatever they resolve to. */
  allowedHosts: ReadonlySet<string>;
}

/** An address in one canonical text form (IPv4-mapped IPv6 as IPv4), or null when `text` is no IP address. */
export function normalizeAddress(text: string): string | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return null;
  return ipaddr.process(bare).toString();
}

export function addressPolicy(allowedHosts: readonly string[]): AddressPolicy {
  return {
    allowedHosts: new Set(allowedHosts.map((host) => normalizeAddress(host) ?? host.toLowerCase())),
  };
}

/** The address's range as ipaddr.js names it: `unicast` for global addresses, else e.g. `private`, `loopback`. */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

/** Null when `address` (reached for `host`) may be used, else why not, in words for the operator. */
export function refusalOf(policy: AddressPolicy, host: string, address: string): string | null {
  const hostName = host.toLowerCase().replace(/^\[|\]$/g, "");
  const normalized = normalizeAddress(address);
  if (normalized === null) return `${address} is not an IP address`;
  if (policy.allowedHosts.has(hostName) || policy.allowedHosts.has(normalized)) return null;
  const range = addressRange(normalized);
  if (range === "unicast") return null;
  const where = normalizeAddress(hostName) === normalized ? normalized : `${hostName} resolves to ${normalized}`;
  return `${where}, a ${range} address, which webhooks may not reach (allow it with WEBHOOK_ALLOWED_HOSTS)`;
}
