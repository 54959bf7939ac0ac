import { gunzipSync, inflateSync } from "node:zlib";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { jsonAnswer } from "./answer-bytes.ts";
import { chooseEncoding, compressAnswers } from "./compress-answers.ts";

const page = {
  articles: Array.from({ length: 40 }, (_, i) => ({ slug: `article-${i}`, body: "lorem ipsum ".repeat(10) })),
};
const pageJson = JSON.stringify(page);

function app() {
  const app = new Hono();
  app.use(compressAnswers());
  app.get("/page", (c) => c.json(page, 200, { ETag: '"abc"' }));
  app.get("/small", (c) => c.json({ ok: true }));
  app.get("/known", (c) => jsonAnswer(c, page));
  app.get("/known-small", (c) => jsonAnswer(c, { ok: true }));
  app.get("/no-transform", (c) => c.json(page, 200, { "Cache-Control": "no-transform" }));
  app.get("/png", (c) => c.body(new Uint8Array(4096), 200, { "Content-Type": "image/png" }));
  app.get("/varied", (c) => c.json(page, 200, { Vary: "Authorization" }));
  app.get("/export.csv", (c) => {
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 500; i++) controller.enqueue(encoder.encode(`${i},row number ${i}\n`));
        controller.close();
      },
    });
    return c.body(stream, 200, { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="x.csv"' });
  });
  return app;
}

const get = (path: string, acceptEncoding?: string, method = "GET") =>
  app().request(path, { method, headers: acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding } });

describe("compressAnswers", () => {
  it("sends a large JSON answer gzipped in one piece, with its length, a weak tag and Vary", async () => {
    const res = await get("/page", "gzip, deflate, br");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(bytes.byteLength).toBeLessThan(pageJson.length / 4);
    expect(gunzipSync(bytes).toString()).toBe(pageJson);
    expect(res.headers.get("etag")).toBe('W/"abc"');
    expect(res.headers.get("vary")).toBe("Accept-Encoding");
  });

  it("compresses an answer whose bytes it is handed (jsonAnswer) as one it reads, and leaves a small one as it is, without Vary", async () => {
    const res = await get("/known", "gzip");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get("content-length")).toBe(String(bytes.byteLength));
    expect(gunzipSync(bytes).toString()).toBe(pageJson);
    const small = await get("/known-small", "gzip");
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(await small.text()).toBe('{"ok":true}');
    // Never compressed, whatever the request accepts: it does not vary with Accept-Encoding.
    expect(small.headers.get("vary")).toBeNull();
  });

  it("answers deflate when that is all the client takes", async () => {
    const res = await get("/page", "deflate");
    expect(res.headers.get("content-encoding")).toBe("deflate");
    expect(inflateSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(pageJson);
  });

  it("leaves small answers, refused encodings, no-transform, HEAD and images alone", async () => {
    for (const [path, accept, method] of [
      ["/small", "gzip", "GET"],
      ["/page", "gzip;q=0, deflate;q=0", "GET"],
      ["/page", "identity", "GET"],
      ["/page", undefined, "GET"],
      ["/no-transform", "gzip", "GET"],
      ["/png", "gzip", "GET"],
      ["/page", "gzip", "HEAD"],
    ] as const) {
      const res = await get(path, accept, method);
      expect(res.headers.get("content-encoding"), `${method} ${path} with ${accept}`).toBeNull();
    }
    const plain = await get("/page", "identity");
    expect(await plain.text()).toBe(pageJson);
    expect(plain.headers.get("etag")).toBe('"abc"');
    expect(plain.headers.get("vary")).toBe("Accept-Encoding");
  });

  it("adds Accept-Encoding to an existing Vary once", async () => {
    const res = await get("/varied", "gzip");
    expect(res.headers.get("vary")).toBe("Authorization, Accept-Encoding");
  });

  it("compresses a download as a stream, without a length", async () => {
    const res = await get("/export.csv", "gzip");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("content-length")).toBeNull();
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString();
    expect(text.split("\n")).toHaveLength(501);
    expect(text.startsWith("0,row number 0\n1,row number 1\n")).toBe(true);
  });

  it("compresses the bytes a strong tag names once per encoding, and never reuses a weak or untagged answer", async () => {
    // Each answer's body differs; the strong route's tag lies about it, which shows the compressed bytes reused.
    let served = 0;
    const next = () => ({ ...page, served: ++served });
    const app = new Hono();
    app.use(compressAnswers());
    app.get("/strong", (c) => c.json(next(), 200, { ETag: '"same"' }));
    app.get("/weak", (c) => c.json(next(), 200, { ETag: 'W/"same"' }));
    app.get("/untagged", (c) => c.json(next()));
    const read = async (path: string, encoding: "gzip" | "deflate") => {
      const res = await app.request(path, { headers: { "Accept-Encoding": encoding } });
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get("content-length")).toBe(String(bytes.byteLength));
      return JSON.parse((encoding === "gzip" ? gunzipSync(bytes) : inflateSync(bytes)).toString()).served;
    };
    expect([await read("/strong", "gzip"), await read("/strong", "gzip")]).toEqual([1, 1]);
    expect([await read("/strong", "deflate"), await read("/strong", "deflate")]).toEqual([3, 3]);
    expect([await read("/weak", "gzip"), await read("/weak", "gzip")]).toEqual([5, 6]);
    expect([await read("/untagged", "gzip"), await read("/untagged", "gzip")]).toEqual([7, 8]);

    const uncached = new Hono();
    uncached.use(compressAnswers({ cacheBytes: 0 }));
    uncached.get("/strong", (c) => c.json(next(), 200, { ETag: '"same"' }));
    const bodies = await Promise.all(
      [1, 2].map(async () => {
        const res = await uncached.request("/strong", { headers: { "Accept-Encoding": "gzip" } });
        return JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).served;
      }),
    );
    expect(bodies.sort((a, b) => a - b)).toEqual([9, 10]);
  });

  it("reads hostile Accept-Encoding headers without failing", async () => {
    for (const header of ["", ",,,;;;", "gzip;q=abc", "gzip;q=-1", "*", "*;q=0", "x".repeat(10_000)]) {
      const res = await get("/page", header);
      expect(res.status, JSON.stringify(header.slice(0, 20))).toBe(200);
    }
    expect(chooseEncoding("*")).toBe("gzip");
    expect(chooseEncoding("*;q=0")).toBeUndefined();
    // An unreadable weight is ignored, as hono reads Accept headers (and as its compress() did before).
    expect(chooseEncoding("gzip;q=abc, deflate")).toBe("gzip");
    expect(chooseEncoding("gzip;q=-1, deflate;q=0.1")).toBe("deflate");
    expect(chooseEncoding("gzip;q=0.2, deflate;q=0.5")).toBe("deflate");
    expect(chooseEncoding("GZIP")).toBe("gzip");
    expect(chooseEncoding("br")).toBeUndefined();
  });
});
