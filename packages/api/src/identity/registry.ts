import type { IdentityProviderConfig } from "@inkwell/config";
import { githubProvider } from "./github.ts";
import { oidcProvider } from "./oidc.ts";
import type { IdentityProvider } from "./provider.ts";

/** The configured providers by id, in the order the operator listed them (the buttons' order). */
export type IdentityProviders = ReadonlyMap<string, IdentityProvider>;

export function createIdentityProviders(configs: readonly IdentityProviderConfig[]): IdentityProviders {
  return new Map(
    configs.map((config) => [config.id, config.type === "oidc" ? oidcProvider(config) : githubProvider(config)]),
  );
}
