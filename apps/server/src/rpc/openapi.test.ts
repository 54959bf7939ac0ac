import { appRouter, type ProcedureMeta } from "@inkwell/api";
import { compileErrors, validate } from "@readme/openapi-parser";
import { initTRPC } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type OpenApiDocument, ResponseChecker } from "../testing/openapi-bodies.ts";
import { rpcDocument } from "./document.ts";
import { readCatalogue } from "./procedures.ts";

const catalogue = readCatalogue();
const document = rpcDocument(catalogue);
const ours = document as unknown as OpenApiDocument;

const routerProcedures = Object.entries(appRouter._def.procedures).map(([path, procedure]) => ({
  path,
  def: (procedure as unknown as { _def: { type: string; meta?: ProcedureMeta } })._def,
}));

describe("the OpenAPI document of /api/rpc", () => {
  it("is valid OpenAPI 3.1 by @readme/openapi-parser", async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("describes every procedure of the router an API key may call, with nothing left to describe", () => {
    expect(catalogue.problems).toEqual([]);
    const expected = routerProcedures
      .filter(({ def }) => def.type !== "subscription" && !def.meta?.sessionOnly && !def.meta?.browserSignIn)
      .map(({ path }) => `/${path}`);
    expect(Object.keys(ours.paths)).toEqual(expected);
    // The operators' procedures, [M]'s queue among them.
    for (const path of ["/users.list", "/moderation.comments.hide", "/apiKeys.revoke", "/audit.list", "/tags.merge"]) {
      expect(ours.paths).toHaveProperty([path]);
    }
    for (const path of ["/jobs.summary", "/jobs.failures", "/jobs.retry", "/outbox.list", "/outbox.get"]) {
      expect(ours.paths).toHaveProperty([path]);
    }
    // What is left out says why, each once: live streams, browser sign-in steps and the session-only procedures.
    expect(catalogue.notServed.map(({ path }) => path)).toEqual(
      routerProcedures
        .filter(({ def }) => def.type === "subscription" || def.meta?.sessionOnly || def.meta?.browserSignIn)
        .map(({ path }) => path),
    );
  });

  it("states each operation's method, input, credential and permissions", () => {
    const list = ours.paths["/users.list"]?.get as Record<string, unknown>;
    expect(list.security).toEqual([{ ApiKey: [] }, { SessionToken: [] }]);
    expect(list["x-permissions"]).toEqual(["users:read"]);
    expect((list.parameters as { name: string }[]).map(({ name }) => name)).toEqual([
      "search",
      "role",
      "status",
      "sort",
      "direction",
      "page",
      "pageSize",
    ]);
    const signIn = ours.paths["/auth.signIn"]?.post as Record<string, unknown>;
    expect(signIn.security).toEqual([{}, { ApiKey: [] }, { SessionToken: [] }]);
    // The transport fills `session` in (it hands sessions over as tokens): the document leaves it out.
    expect(JSON.stringify(signIn.requestBody)).not.toContain("session");
    expect(ours.paths["/articles.create"]?.post?.responses).toMatchObject({
      "200": { $ref: "#/components/responses/ArticlesCreateResult" },
      "400": { $ref: "#/components/responses/BadRequest" },
      "401": { $ref: "#/components/responses/Unauthorized" },
      "415": { $ref: "#/components/responses/UnsupportedMediaType" },
    });
  });

  it("describes answers as closed objects with ISO 8601 times: a leaked field or a Date's other form fails", () => {
    const bodies = new ResponseChecker({ rpc: ours });
    const tag = { id: 1, name: "rpc" };
    expect(bodies.check("rpc", "POST", "/tags.rename", 200, tag).errors).toEqual([]);
    expect(bodies.check("rpc", "POST", "/tags.rename", 200, { ...tag, articleIds: [1] }).errors).not.toEqual([]);
    const failure = { id: 1, name: "email.send", attempts: 3, maxAttempts: 3, lastError: "refused", key: null };
    const times = { runAt: "2026-11-30T17:00:00.000Z", createdAt: "2026-11-30T17:00:00.000Z" };
    const page = (updatedAt: unknown) => ({
      failures: [{ ...failure, state: "failed", ...times, updatedAt }],
      nextCursor: null,
    });
    expect(bodies.check("rpc", "GET", "/jobs.failures", 200, page("2026-11-30T17:00:00.000Z")).errors).toEqual([]);
    expect(bodies.check("rpc", "GET", "/jobs.failures", 200, page(1796058000000)).errors).not.toEqual([]);
  });

  it("names each procedure it cannot describe, so one added without an output schema fails here", () => {
    const t = initTRPC.meta<ProcedureMeta>().create();
    const router = t.router({
      webhooks: t.router({
        list: t.procedure.meta({ signedIn: true }).query(() => []),
        search: t.procedure
          .input(z.object({ filter: z.object({ url: z.string() }) }))
          .output(z.array(z.string()))
          .query(() => []),
        create: t.procedure
          .input(z.object({ url: z.url() }))
          .output(z.object({ id: z.int() }))
          .mutation(() => ({ id: 1 })),
      }),
    });
    const read = readCatalogue(router);
    expect(read.problems).toEqual([
      "webhooks.list: no .output() schema, so its answer is undocumented; add one (packages/api/src/router/outputs.ts or operator-outputs.ts)",
      "webhooks.search: a query's input travels in the query string, but input field(s) filter hold neither a scalar nor a list of scalars; make them scalars or lists of scalars",
    ]);
    expect(read.served.map(({ path, public: open }) => ({ path, open }))).toEqual([
      { path: "webhooks.list", open: false },
      { path: "webhooks.create", open: true },
    ]);
  });
});
