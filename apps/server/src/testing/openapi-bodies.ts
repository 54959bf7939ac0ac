import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

/** The RealWorld specification (2.0.0) the REST facade implements, as copied into docs/realworld. */
export const realWorldSpecPath = join(import.meta.dirname, "..", "..", "..", "..", "docs", "realworld", "openapi.yml");

export type OpenApiDocument = {
  paths: Record<string, Record<string, { operationId?: string; security?: unknown; responses: Record<string, Ref> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
};
type Ref = { $ref?: string };

export function readRealWorldSpec(): OpenApiDocument {
  return parse(readFileSync(realWorldSpecPath, "utf8"));
}

/** The template in `document` a concrete path matches, literal paths first (`/articles/feed` over `/articles/{slug}`). */
export function matchPath(document: OpenApiDocument, path: string): string | undefined {
  const bare = path.split("?")[0] ?? path;
  const params = (template: string) => template.split("{").length - 1;
  return Object.keys(document.paths)
    .filter((template) => new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`).test(bare))
    .sort((a, b) => params(a) - params(b))[0];
}

/**
 * Checks response bodies against the response schemas OpenAPI documents give
 * for an operation and status. Each document's responses are `$ref`s to
 * `components/responses`, as both Inkwell's and RealWorld's are.
 */
export class ResponseChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(private readonly documents: Record<string, OpenApiDocument>) {
    addFormats.default(this.ajv);
    for (const [name, document] of Object.entries(documents)) this.ajv.addSchema(document, name);
  }

  /** The validator of the named component response's JSON body, or null when it has no body (204). */
  named(documentName: string, response: string): ValidateFunction | null {
    const key = `${documentName}#${response}`;
    if (!this.cache.has(key)) {
      const found = this.documents[documentName]?.components.responses[response];
      if (!found) throw new Error(`no response ${response} in ${documentName}`);
      this.cache.set(
        key,
        found.content?.["application/json"]
          ? this.ajv.compile({
              $ref: `${documentName}#/components/responses/${response}/content/application~1json/schema`,
            })
          : null,
      );
    }
    return this.cache.get(key) ?? null;
  }

  /**
   * What `documentName` says about `status` for `method path`: `undocumented`
   * when the operation or the status is missing, else the validation errors of
   * `body` (empty when it conforms).
   */
  check(documentName: string, method: string, path: string, status: number, body: unknown) {
    const document = this.documents[documentName];
    const template = document && matchPath(document, path);
    const operation = template ? document?.paths[template]?.[method.toLowerCase()] : undefined;
    const ref = operation?.responses[String(status)]?.$ref;
    if (!operation) return { documented: false as const, reason: `no operation ${method} ${path}` };
    if (!ref) return { documented: false as const, reason: `${method} ${template} does not document ${status}` };
    const validate = this.named(documentName, ref.replace("#/components/responses/", ""));
    if (!validate) return { documented: true as const, errors: body === null ? [] : ["expected no body"] };
    return { documented: true as const, errors: validate(body) ? [] : (validate.errors ?? []) };
  }
}
