/**
 * Every page of the console, read from the router's own route tree: a page
 * someone adds is walked (checked by axe, photographed) without anyone editing a
 * list. What the walk cannot guess is said here: who may see a page, and the
 * value of each path parameter; a route with a parameter not listed fails the
 * walk with a message naming it.
 */
import type { AnyRoute } from "@tanstack/react-router";
import { router } from "../../src/router.tsx";

/** Who opens a page: the seeded admin, nobody (signed out), or a user the page exists for. */
export type Visitor = "admin" | "signed-out" | "password-change" | "two-factor-setup";

export interface ConsolePage {
  /** The route's path as declared, e.g. `/users/$userId`. */
  route: string;
  /** What the browser opens, parameters filled in. */
  path: string;
  visitor: Visitor;
  /** A file name for its screenshots: `users-userId`, `dashboard` for `/`. */
  name: string;
}

/** The pathless route whose pages need a session and render inside the app shell. */
const APP_SHELL = "/_app";

/** Pages outside the shell that only a user in a given state can open (the route sends anyone else on). */
const STATE_PAGES: Record<string, Visitor> = {
  "/change-password": "password-change",
  "/two-factor-setup": "two-factor-setup",
};

function ancestors(route: AnyRoute): AnyRoute[] {
  const chain: AnyRoute[] = [];
  for (let parent = route.parentRoute as AnyRoute | undefined; parent; parent = parent.parentRoute) chain.push(parent);
  return chain;
}

/** Every route that has a path (not the root, not pathless layouts), once each. */
export function routePaths(): { route: string; visitor: Visitor }[] {
  const seen = new Map<string, Visitor>();
  for (const route of Object.values(router.routesById) as AnyRoute[]) {
    if (route.isRoot || (route.options as { path?: string }).path === undefined) continue;
    const inShell = ancestors(route).some((parent) => parent.id === APP_SHELL);
    seen.set(route.fullPath, inShell ? "admin" : (STATE_PAGES[route.fullPath] ?? "signed-out"));
  }
  return [...seen].map(([route, visitor]) => ({ route, visitor })).sort((a, b) => a.route.localeCompare(b.route));
}

/** The pages to open, with `params` filling each `$name` of a path; throws for a parameter it does not know. */
export function consolePages(params: Record<string, string | number>): ConsolePage[] {
  return routePaths().map(({ route, visitor }) => {
    const path = route.replace(/\$(\w+)/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) {
        throw new Error(
          `The route ${route} has a parameter $${name} the walk has no value for: add one to its params.`,
        );
      }
      return encodeURIComponent(String(value));
    });
    const name = route === "/" ? "dashboard" : route.replace(/^\//, "").replace(/\$/g, "").replace(/\//g, "-");
    return { route, path, visitor, name };
  });
}
