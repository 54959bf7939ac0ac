import { z } from "zod";

/** A provider id appears in URLs and in the database: short, lower-case, URL-safe. */
const providerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: "expected an id of lower-case letters, digits and dashes (max 32)" });
const secret = z.string().min(1).max(1000);
const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

/** Any OpenID Connect provider, found through its discovery document (`<issuer>/.well-known/openid-configuration`). */
const oidcProvider = z.strictObject({
  type: z.literal("oidc"),
  id: providerId,
  /** The button's label: "Sign in with <name>". */
  name: z.string().trim().min(1).max(60),
  issuer: httpUrl,
  clientId: secret,
  clientSecret: secret,
});

/** GitHub (OAuth 2.0, no ID tokens); the URLs change only for GitHub Enterprise Server. */
const githubProvider = z.strictObject({
  type: z.literal("github"),
  id: providerId.default("github"),
  name: z.string().trim().min(1).max(60).default("GitHub"),
  clientId: secret,
  clientSecret: secret,
  url: httpUrl.default("https://github.com"),
  apiUrl: httpUrl.default("https://api.github.com"),
});

export const identityProviderConfig = z.discriminatedUnion("type", [oidcProvider, githubProvider]);
export type IdentityProviderConfig = z.infer<typeof identityProviderConfig>;

/** `OAUTH_PROVIDERS`: a JSON array of providers with distinct ids. */
export const identityProvidersVariable = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "expected a JSON array of providers (see README)" });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(identityProviderConfig)
      .max(20)
      .refine((list) => new Set(list.map((p) => p.id)).size === list.length, {
        error: "every provider needs a distinct id",
      }),
  );
