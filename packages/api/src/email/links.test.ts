import { describe, expect, it } from "vitest";
import { createLinkBuilder } from "./links.ts";

describe("createLinkBuilder", () => {
  it("builds absolute links on the public URL, with encoded query values", () => {
    const links = createLinkBuilder(() => "https://inkwell.example.com");
    expect(links.to("/account")).toBe("https://inkwell.example.com/account");
    expect(links.to("/verify", { token: "a b&c=d/é" })).toBe(
      "https://inkwell.example.com/verify?token=a+b%26c%3Dd%2F%C3%A9",
    );
    expect(links.accountSettings()).toBe("https://inkwell.example.com/account");
  });

  it("keeps a base path and reads the base each time (the server's own URL is known once it listens)", () => {
    let base = "";
    const links = createLinkBuilder(() => base);
    base = "https://example.com/inkwell/";
    expect(links.to("/account")).toBe("https://example.com/inkwell/account");
    base = "http://127.0.0.1:3000";
    expect(links.to("/account")).toBe("http://127.0.0.1:3000/account");
  });

  it("refuses paths that could leave the site: relative, protocol-relative, backslashed, absolute", () => {
    const links = createLinkBuilder(() => "https://inkwell.example.com");
    for (const path of ["account", "//evil.example/x", "/\\evil.example", "https://evil.example/", ""]) {
      expect(() => links.to(path), path).toThrow(/must start with a single "\/"/);
    }
  });
});
