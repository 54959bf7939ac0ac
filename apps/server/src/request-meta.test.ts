import { describe, expect, it } from "vitest";
import { schemeAndHost } from "./request-meta.ts";

describe("schemeAndHost", () => {
  // What the Node adapter or a `Request` hands over is a serialized URL: read from the string, it must say what
  // `new URL()` says of it, whatever the Host header or request target looked like.
  const written = [
    "http://127.0.0.1:3999/api/profiles/jake",
    "http://LOCALHOST:80/api/articles?limit=20",
    "https://Example.COM:443",
    "http://[::1]:3000/trpc/tags.list?input=%7B%7D",
    "http://[0:0:0:0:0:0:0:1]/x",
    "https://inkwell.example/a/b/../c?x=/y#z",
    "http://xn--nxasmq6b.example:8080/?q=:/",
    "http://user:pass@host.example:1234/path",
    "http://a@b@host.example/",
  ];
  it.each(written)("reads %s as new URL() does", (raw) => {
    const href = new URL(raw).href;
    const url = new URL(href);
    expect(schemeAndHost(href)).toEqual({ scheme: url.protocol.slice(0, -1), host: url.host });
  });
});
