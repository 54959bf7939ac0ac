import { describe, expect, it } from "vitest";
import { addressPolicy, refusalOf } from "./address-policy.ts";

describe("the webhook address policy (SSRF)", () => {
  const none = addressPolicy([]);

  it("lets global unicast addresses through, IPv4 and IPv6", () => {
    for (const address of ["93.184.215.14", "8.8.8.8", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "2001:4860::8888"]) {
      expect(refusalOf(none, "example.com", address), address).toBeNull();
    }
  });

  it("refuses private, loopback, link-local, unique-local, multicast and the like, with the range named", () => {
    const refused: [string, string][] = [
      ["10.1.2.3", "private"],
      ["172.16.0.1", "private"],
      ["192.168.1.1", "private"],
      ["127.0.0.1", "loopback"],
      ["127.255.255.254", "loopback"],
      ["169.254.169.254", "linkLocal"],
      ["0.0.0.0", "unspecified"],
      ["100.64.0.1", "carrierGradeNat"],
      ["224.0.0.1", "multicast"],
      ["255.255.255.255", "broadcast"],
      ["::1", "loopback"],
      ["::", "unspecified"],
      ["fe80::1", "linkLocal"],
      ["fd00::1", "uniqueLocal"],
      ["fc00::1", "uniqueLocal"],
      ["ff02::1", "multicast"],
      // IPv4-mapped IPv6 is judged as the IPv4 address it is.
      ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback"],
      ["::ffff:10.0.0.1", "private"],
      ["::ffff:169.254.169.254", "linkLocal"],
      // IPv6 forms that route to an IPv4 address are refused whatever they embed.
      ["64:ff9b::7f00:1", "rfc6052"],
      ["2002:7f00:1::", "6to4"],
    ];
    for (const [address, range] of refused) {
      expect(refusalOf(none, "hooks.example.com", address), address).toMatch(new RegExp(`a ${range} address`));
    }
    expect(refusalOf(none, "hooks.example.com", "10.0.0.7")).toBe(
      "hooks.example.com resolves to 10.0.0.7, a private address, which webhooks may not reach (allow it with WEBHOOK_ALLOWED_HOSTS)",
    );
    expect(refusalOf(none, "[::1]", "::1")).toMatch(/^::1, a loopback address/);
    expect(refusalOf(none, "x", "not an address")).toBe("not an address is not an IP address");
  });

  it("allows a private host or address only when WEBHOOK_ALLOWED_HOSTS names it", () => {
    const policy = addressPolicy(["127.0.0.1", "Hooks.Internal", "::1"]);
    expect(refusalOf(policy, "127.0.0.1", "127.0.0.1")).toBeNull();
    expect(refusalOf(policy, "localhost", "127.0.0.1")).toBeNull();
    expect(refusalOf(policy, "localhost", "::ffff:127.0.0.1")).toBeNull();
    expect(refusalOf(policy, "[::1]", "::1")).toBeNull();
    expect(refusalOf(policy, "hooks.internal", "10.9.8.7")).toBeNull();
    // Allowing one address allows no other in its range.
    expect(refusalOf(policy, "127.0.0.2", "127.0.0.2")).toMatch(/loopback/);
    expect(refusalOf(policy, "other.internal", "10.9.8.7")).toMatch(/private/);
  });
});
