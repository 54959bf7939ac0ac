import type { ApiDeps } from "@inkwell/api";
import { judgeOrigin } from "@inkwell/auth";
import { type Context, Hono } from "hono";
import { csvStream } from "../export/csv-stream.ts";
import { createCaller, type ExportTable, exportTables } from "../export/tables.ts";
import type { Logger } from "../logger.ts";
import { requestContext } from "../request-context.ts";
import { metaOptions, type ProxyTrust, requestMeta } from "../request-meta.ts";
import { errorAnswer, TransportError } from "../rpc/errors.ts";
import { type QueryField, readQuery } from "../rpc/input-decoding.ts";
import { readCatalogue } from "../rpc/procedures.ts";

type ExportName = keyof typeof exportTables;
type Env = { Variables: { requestId: string; userId?: number } };

/** How an export reads its filters from the query string: as its list procedure's input, field by field. */
function filterFields(table: Pick<ExportTable<unknown>, "procedure" | "pagingFields" | "fileName">): QueryField[] {
  const procedure = readCatalogue().served.find((served) => served.path === table.procedure);
  if (!procedure) throw new Error(`The export of ${table.fileName} needs the query ${table.procedure}.`);
  return procedure.queryFields.filter((field) => !table.pagingFields.includes(field.name));
}

const isExportName = (name: string): name is ExportName => Object.hasOwn(exportTables, name);

/**
 * CSV downloads of the operators' tables, for the whole filtered set:
 * `GET /export/users.csv` and `GET /export/audit.csv`, with the same filters
 * in the query string as the page's URL (e.g. `?role=admin&search=ann`).
 * Each request builds the context /trpc builds (session cookie or
 * Authorization header) and walks the table's list procedure page by page
 * with a caller made from it, streaming rows as they come: the procedure's
 * permission, validation and queries apply unchanged. A refusal is answered
 * before any row, with the status /trpc would give (401, 403, 400).
 */
export function exportRoutes(deps: ApiDeps, options: ProxyTrust & { logger: Logger }) {
  const readsCookies = metaOptions(options, true);
  const app = new Hono<Env>();
  const fields = {
    users: filterFields(exportTables.users),
    audit: filterFields(exportTables.audit),
  } satisfies Record<ExportName, QueryField[]>;

  /**
   * A download is a read, but a heavy one: no other site may start one with the operator's cookie, not even a
   * sibling host (`Sec-Fetch-Site: same-site`, whose `<img>` tags carry the Lax cookie) nor a page whose `Origin`
   * is foreign. The mutations' judgement (`judgeOrigin`), except that a URL the operator opened themselves
   * (`Sec-Fetch-Site: none`, a bookmark) and a request with neither header (curl) may download.
   */
  function startedByAnotherSite(c: Context<Env>): boolean {
    if (c.req.header("sec-fetch-site") === "none") return false;
    const { origin } = requestMeta(c, readsCookies);
    return judgeOrigin(c.req.raw.headers, origin, deps.authSettings.trustedOrigins) === "cross-site";
  }

  async function download<Row>(c: Context<Env>, name: ExportName, table: ExportTable<Row>): Promise<Response> {
    const requestId = c.get("requestId");
    const filters = readQuery(fields[name], new URL(c.req.url).searchParams);
    const { ctx, resHeaders } = await requestContext(c, deps, readsCookies);
    if (ctx.principal) c.set("userId", ctx.principal.user.id);
    for (const cookie of resHeaders.getSetCookie()) c.header("Set-Cookie", cookie, { append: true });
    const pages = table.pages(createCaller(ctx), filters);
    // The first page before the answer starts: a refusal still gets its status.
    const first = await pages.next();
    const body = csvStream(table.columns, first.done ? [] : first.value, pages, (error) =>
      options.logger.error({ err: error, export: name, requestId }, "export failed midway"),
    );
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, "-");
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${table.fileName}-${stamp}.csv"`);
    // Personal data: kept by no browser cache or proxy.
    c.header("Cache-Control", "no-store");
    return c.body(body, 200);
  }

  app.get("/:file", async (c) => {
    const file = c.req.param("file");
    const name = file.endsWith(".csv") ? file.slice(0, -".csv".length) : "";
    try {
      if (!isExportName(name)) {
        throw new TransportError(404, "NOT_FOUND", `There is no export ${file}: try users.csv or audit.csv.`);
      }
      if (startedByAnotherSite(c)) {
        throw new TransportError(
          403,
          "FORBIDDEN",
          "Cross-site request refused: start the download from the Inkwell admin.",
        );
      }
      return name === "users"
        ? await download(c, name, exportTables.users)
        : await download(c, name, exportTables.audit);
    } catch (error) {
      const requestId = c.get("requestId");
      const path = isExportName(name) ? exportTables[name].procedure : undefined;
      const answer = errorAnswer(error, { requestId, path, type: "query" });
      if (answer.status >= 500) options.logger.error({ err: error, export: name, requestId }, "export failed");
      if (answer.body.retryAfterSeconds !== undefined) c.header("Retry-After", String(answer.body.retryAfterSeconds));
      return c.json(answer.body, answer.status);
    }
  });

  return app;
}
