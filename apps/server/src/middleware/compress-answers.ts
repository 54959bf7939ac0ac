import { promisify } from "node:util";
import { constants, deflate, gzip } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { parseAccept } from "hono/utils/accept";
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/utils/compress";
import { LRUCache } from "lru-cache";
import { knownBytes, replaceWithBytes } from "./answer-bytes.ts";
import { replaceAnswer } from "./replace-answer.ts";

const compressors = {
  gzip: promisify(gzip),
  deflate: promisify(deflate),
} as const;
type Encoding = keyof typeof compressors;
type Compressed = Awaited<ReturnType<(typeof compressors)[Encoding]>>;

/** Level 4: on a 20 kB page nearly level 6's size for about two thirds of its time. */
const LEVEL = 4;

export interface CompressAnswersOptions {
  /** Bodies smaller than this go out as they are: the header costs more than compression saves. */
  thresholdBytes?: number;
  /** Memory for compressed answers kept by their strong `ETag`, reused when the same bytes go out again; 0: none. */
  cacheBytes?: number;
}

/**
 * Compresses whole answers in one step on libuv's thread pool and sends them
 * with a `Content-Length`, in one write. Hono's `compress()` pipes every body
 * through a `CompressionStream` instead: web-stream plumbing and a chunked
 * write per piece on each request, and, with no `Content-Length` on a JSON
 * answer, its size threshold never applies, so a 300-byte profile was
 * compressed too. In the bench that halved the requests per second of
 * anonymous reads (BENCHMARKS.md, finding 8). Downloads (`Content-Disposition:
 * attachment`) are still compressed as streams, so an export is never held in
 * memory; event streams never reach this middleware (`exceptEventStreams`).
 * An answer with a strong `ETag` is compressed once per encoding while it
 * stays the same: the first page of the list, asked for again and again,
 * costs one compression, not one per request.
 */
export function compressAnswers({
  thresholdBytes = 1024,
  cacheBytes = 16 * 1024 * 1024,
}: CompressAnswersOptions = {}): MiddlewareHandler {
  // A strong tag is the SHA-256 of the exact body (http-caching.ts): the same tag, the same bytes, whoever asked.
  const compressedByTag =
    cacheBytes > 0
      ? new LRUCache<string, Compressed>({
          maxSize: cacheBytes,
          maxEntrySize: cacheBytes / 16,
          sizeCalculation: (compressed, key) => compressed.byteLength + key.length,
        })
      : null;
  return async function compressAnswers(c, next) {
    await next();
    const res = c.res;
    // An answer too small to compress, whose bytes are known, goes out as it is whatever the request accepts: its
    // representation does not vary with Accept-Encoding, so no header need be read or written (most reads).
    const known = knownBytes(res);
    if (known && known.byteLength < thresholdBytes) return;
    if (
      c.req.method === "HEAD" ||
      res.status === 206 ||
      res.status === 204 ||
      res.status === 304 ||
      res.headers.has("Content-Encoding") ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(res.headers.get("Content-Type") ?? "") ||
      /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get("Cache-Control") ?? "")
    ) {
      return;
    }
    // The answer depends on Accept-Encoding whatever this request sent: caches must know.
    appendVary(res.headers, "Accept-Encoding");
    const encoding = chooseEncoding(c.req.header("Accept-Encoding"));
    const length = Number(res.headers.get("Content-Length") ?? Number.NaN);
    // Only now the body: asking for it turns a string or bytes answer into a web stream (replace-answer.ts).
    if (!encoding || length < thresholdBytes || (!known && !res.body)) return;

    if (res.headers.get("Content-Disposition")?.startsWith("attachment") && res.body) {
      // A download is streamed as it is produced (a CSV export of a whole table): compress it as a stream.
      c.res = new Response(res.body.pipeThrough(new CompressionStream(encoding)), res);
      c.res.headers.delete("Content-Length");
      c.res.headers.set("Content-Encoding", encoding);
      weakenTag(c.res.headers);
      return;
    }
    const etag = res.headers.get("ETag");
    const key = etag && !etag.startsWith("W/") ? `${encoding} ${etag}` : undefined;
    let compressed: Compressed | undefined = key ? compressedByTag?.get(key) : undefined;
    if (compressed) {
      if (!known) await res.body?.cancel();
    } else {
      const body = known ?? new Uint8Array(await res.arrayBuffer());
      if (body.byteLength < thresholdBytes) {
        if (!known) replaceWithBytes(c, body);
        return;
      }
      compressed = await compressors[encoding](body, { level: LEVEL, strategy: constants.Z_DEFAULT_STRATEGY });
      if (key) compressedByTag?.set(key, compressed);
    }
    const headers = res.headers;
    headers.set("Content-Encoding", encoding);
    headers.set("Content-Length", String(compressed.byteLength));
    weakenTag(headers);
    replaceAnswer(c, new Response(compressed, { status: res.status, headers }));
  };
}

/** Another encoding is another representation: a strong validator no longer names these bytes. */
function weakenTag(headers: Headers): void {
  const etag = headers.get("ETag");
  if (etag && !etag.startsWith("W/")) headers.set("ETag", `W/${etag}`);
}

/** gzip when the client takes it, else deflate; `q=0` refuses an encoding, `*` stands for any not named. */
export function chooseEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  // hono's parser of Accept-style headers (quoted values, malformed parameters, q out of range).
  const accepts = parseAccept(header);
  const weight = (name: string) => accepts.find((accept) => accept.type.toLowerCase() === name)?.q;
  let best: { encoding: Encoding; weight: number } | undefined;
  for (const encoding of ["gzip", "deflate"] as const) {
    const q = weight(encoding) ?? weight("*") ?? 0;
    if (q > 0 && (!best || q > best.weight)) best = { encoding, weight: q };
  }
  return best?.encoding;
}

function appendVary(headers: Headers, name: string): void {
  const current = headers.get("Vary");
  if (current === "*") return;
  if (current?.split(",").some((v) => v.trim().toLowerCase() === name.toLowerCase())) return;
  headers.set("Vary", current ? `${current}, ${name}` : name);
}
