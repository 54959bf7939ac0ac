import { appRouter } from "@inkwell/api";
import { compileErrors, validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { type OpenApiDocument, ResponseChecker, readRealWorldSpec } from "../testing/openapi-bodies.ts";
import { realWorldDocument } from "./document.ts";
import { restRoutes } from "./index.ts";
import { procedureFields } from "./procedure-input.ts";

const document = realWorldDocument();
const ours = document as unknown as OpenApiDocument;
const operations = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
  );

describe("the generated OpenAPI document", () => {
  it("describes exactly the REST routes the server has", () => {
    // Route registration does not touch the dependencies, so none are needed to list the routes.
    const app = restRoutes({} as never, { logger: pino({ level: "silent" }), trustProxy: 0 });
    const served = app.routes
      .filter((route) => route.method !== "ALL" && !/^\/(openapi\.json|docs)/.test(route.path))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
    expect([...new Set(served)].sort()).toEqual(
      operations(ours)
        .map(({ key }) => key)
        .sort(),
    );
  });

  it("is valid OpenAPI 3.1 by @readme/openapi-parser, which also finds a broken one", async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);

    // The validator is not a rubber stamp: a dangling reference and a duplicate operationId are reported.
    const broken = structuredClone(document) as unknown as OpenApiDocument;
    const getArticle = broken.paths["/articles/{slug}"]?.get;
    if (!getArticle) throw new Error("no GET /articles/{slug}");
    getArticle.operationId = "GetArticles";
    getArticle.responses["200"] = { $ref: "#/components/responses/NoSuchResponse" };
    const refused = await validate(broken as never);
    expect(refused.valid).toBe(false);
  });

  it("covers every path and operation of the RealWorld specification, with its ids, success codes and security", () => {
    const spec = readRealWorldSpec();
    const summary = (doc: OpenApiDocument) =>
      operations(doc)
        .map(({ key, operation }) => ({
          key,
          operationId: operation.operationId,
          success: Object.keys(operation.responses).filter((status) => status.startsWith("2")),
          secured: operation.security !== undefined,
        }))
        .sort((a, b) => a.key.localeCompare(b.key));
    expect(summary(spec)).toHaveLength(19);
    expect(summary(ours)).toEqual(summary(spec));
  });

  it("documents every status the RealWorld specification gives for an operation, except 401 where no token is needed", () => {
    const spec = readRealWorldSpec();
    for (const { key, operation } of operations(spec)) {
      const [method, path] = key.split(" ") as [string, string];
      const documented = Object.keys(ours.paths[path]?.[method.toLowerCase()]?.responses ?? {});
      const expected = Object.keys(operation.responses).filter(
        (status) => status !== "401" || operation.security !== undefined,
      );
      expect(documented, key).toEqual(expect.arrayContaining(expected));
    }
  });

  it("describes responses as closed objects: an internal field added to a body fails the contract check", () => {
    const bodies = new ResponseChecker({ openapi: ours });
    const profile = { username: "jake", bio: null, image: null, following: false };
    expect(bodies.check("openapi", "GET", "/profiles/jake", 200, { profile }).errors).toEqual([]);
    expect(
      bodies.check("openapi", "GET", "/profiles/jake", 200, { profile: { ...profile, id: 7 } }).errors,
    ).not.toEqual([]);
    expect(bodies.check("openapi", "GET", "/profiles/jake", 418, { profile })).toMatchObject({ documented: false });
    expect(bodies.check("openapi", "GET", "/articles/feed", 200, { articles: [], articlesCount: 0 }).errors).toEqual(
      [],
    );
  });
});

/**
 * Request bodies are documented with the procedures' own input schemas. The
 * JSON Schema generated from them must accept and refuse what the procedure
 * does, so a client validating against the document agrees with the server.
 */
describe("request bodies in the document", () => {
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  ajv.addSchema(document, "openapi");
  const schemaOf = (component: string) => ajv.compile({ $ref: `openapi#/components/schemas/${component}` });

  const cases: [component: string, procedure: z.ZodType, samples: Record<string, unknown>[]][] = [
    [
      "NewUser",
      procedureFields(appRouter.auth.signUp, "auth.signUp", ["session"]),
      [
        { username: "jake", email: "jake@example.com", password: "jakejake" },
        { username: "jake", email: "jake@example.com", password: "p".repeat(64) },
        { username: "jake", email: "jake@example.com", password: "1234567" },
        { username: "jake", email: "not an email", password: "jakejake" },
        { username: "j".repeat(41), email: "jake@example.com", password: "jakejake" },
        { username: "ja ke", email: "jake@example.com", password: "jakejake" },
        { username: "jake", email: "jake@example.com" },
        { username: "jake", email: "jake@example.com", password: 12345678 },
      ],
    ],
    [
      "UpdateUser",
      procedureFields(appRouter.auth.updateProfile, "auth.updateProfile"),
      [
        {},
        { bio: null, image: null },
        { bio: "b".repeat(1000) },
        { bio: "b".repeat(1001) },
        { image: "javascript:alert(1)" },
        { image: "x".repeat(2049) },
        { email: null },
        { username: "" },
      ],
    ],
    [
      "NewArticle",
      procedureFields(appRouter.articles.create, "articles.create"),
      [
        { title: "T", description: "d", body: "b" },
        { title: "T", description: "d", body: "b", tagList: ["a", "b"] },
        { title: "T", description: "d", body: "b", tagList: Array.from({ length: 11 }, (_, i) => `t${i}`) },
        { title: "T", description: "d", body: "b", tagList: ["a,b"] },
        { title: "T".repeat(201), description: "d", body: "b" },
        { title: "T", description: "d" },
        { title: "T", description: "d", body: "b", tagList: null },
      ],
    ],
    [
      "UpdateArticle",
      procedureFields(appRouter.articles.update, "articles.update", ["slug"]),
      [{}, { tagList: [] }, { tagList: null }, { body: "" }, { description: "d".repeat(501) }],
    ],
    [
      "NewComment",
      procedureFields(appRouter.comments.add, "comments.add", ["slug"]),
      [{ body: "Thank you" }, { body: "" }, { body: "c".repeat(10_001) }, {}],
    ],
  ];

  it.each(cases)("%s accepts and refuses what the procedure does", (component, procedure, samples) => {
    const documented = schemaOf(component);
    const verdicts = samples.map((sample) => ({
      sample,
      procedure: procedure.safeParse(sample).success,
      document: documented(sample),
    }));
    expect(verdicts.filter((v) => v.procedure !== v.document)).toEqual([]);
    // Each table holds samples both accepted and refused, or it would prove little.
    expect(new Set(verdicts.map((v) => v.procedure))).toEqual(new Set([true, false]));
  });
});
