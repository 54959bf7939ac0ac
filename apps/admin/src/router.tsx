/**
 * The route tree. Each page's component lives in its own chunk (`.lazy()`),
 * loaded on first visit; what stays here is what must run before any page
 * renders: search-param validation (zod schemas) and the sign-in and permission checks.
 */
import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  notFound,
  redirect,
  stripSearchParams,
} from "@tanstack/react-router";
import { NotFound } from "./components/not-found.tsx";
import { PageSkeleton } from "./components/page-skeleton.tsx";
import { RouteError } from "./components/route-error.tsx";
import { queryClient } from "./lib/query-client.ts";
import { redirectSearchSchema, safeRedirect } from "./lib/redirect-search.ts";
import {
  requirePermission,
  requireSession,
  requireTwoFactorEnrolment,
  requireUsablePassword,
} from "./lib/route-guards.ts";
import { sessionJustEnded } from "./lib/session-ended.ts";
import { trpc } from "./lib/trpc.ts";
import { tokenSearchSchema } from "./routes/account-links/search.ts";
import { articlesSearchDefaults, articlesSearchSchema } from "./routes/articles/search.ts";
import { auditSearchSchema } from "./routes/audit/search.ts";
import { commentsSearchDefaults, commentsSearchSchema } from "./routes/comments/search.ts";
import { dashboardSearchDefaults, dashboardSearchSchema } from "./routes/dashboard/search.ts";
import { jobsSearchSchema } from "./routes/jobs/search.ts";
import { outboxSearchDefaults, outboxSearchSchema } from "./routes/outbox/search.ts";
import { tagsSearchDefaults, tagsSearchSchema } from "./routes/tags/search.ts";
import { usersSearchDefaults, usersSearchSchema } from "./routes/users/search.ts";
import { webhooksSearchSchema } from "./routes/webhooks/search.ts";

interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "sign-in",
  validateSearch: redirectSearchSchema,
  beforeLoad: async ({ context, search }) => {
    // Just signed out here: nobody is signed in, and asking would only earn a 401.
    if (sessionJustEnded(context.queryClient)) return;
    const me = await context.queryClient
      .fetchQuery(trpc.auth.me.queryOptions(undefined, { retry: false }))
      .catch(() => null);
    if (me) throw redirect({ href: safeRedirect(search.redirect) });
  },
}).lazy(() => import("./routes/sign-in/sign-in-page.tsx").then((m) => m.Route));

/** Asking for a password reset link; open to anyone, like the pages of the links themselves below. */
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "forgot-password",
}).lazy(() => import("./routes/account-links/forgot-password-page.tsx").then((m) => m.Route));

/** Where the links Inkwell emails land: signed in or not, the token in the link is what counts. */
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "reset-password",
  validateSearch: tokenSearchSchema,
}).lazy(() => import("./routes/account-links/reset-password-page.tsx").then((m) => m.Route));

/** Where an invitation's link lands: the invited person chooses their first password. */
const acceptInviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "accept-invite",
  validateSearch: tokenSearchSchema,
}).lazy(() => import("./routes/accept-invite/accept-invite-page.tsx").then((m) => m.Route));

const verifyEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "verify-email",
  validateSearch: tokenSearchSchema,
}).lazy(() => import("./routes/account-links/verify-email-page.tsx").then((m) => m.Route));
/** Where identity providers send the browser back (the redirect URI registered at each provider). */
const signInCallbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "sign-in/callback/$provider",
}).lazy(() => import("./routes/sign-in-callback/sign-in-callback-page.tsx").then((m) => m.Route));

/**
 * An operator whose password is on a breached-password list changes it here
 * before anything else, then goes on to where they were going.
 */
const changePasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "change-password",
  validateSearch: redirectSearchSchema,
  beforeLoad: async ({ context, location, search }) => {
    const me = await requireSession(context.queryClient, location.href);
    if (!me.user.passwordChangeRequired) throw redirect({ href: safeRedirect(search.redirect) });
  },
}).lazy(() => import("./routes/change-password/change-password-page.tsx").then((m) => m.Route));

/**
 * A user whose role requires two-factor sign-in turns it on here before
 * anything else (after a required password change), then goes on to where
 * they were going.
 */
const twoFactorSetupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "two-factor-setup",
  validateSearch: redirectSearchSchema,
  beforeLoad: async ({ context, location, search }) => {
    const me = await requireSession(context.queryClient, location.href);
    requireUsablePassword(me, location.href);
    if (!me.user.twoFactorEnrolmentRequired) throw redirect({ href: safeRedirect(search.redirect) });
  },
}).lazy(() => import("./routes/two-factor-setup/two-factor-setup-page.tsx").then((m) => m.Route));

/**
 * Every page but sign-in, the password change and the two-factor setup: needs a session, a usable password and
 * two-factor sign-in where the role requires it, and renders inside the app shell.
 */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_app",
  beforeLoad: async ({ context, location }) => {
    const me = await requireSession(context.queryClient, location.href);
    requireUsablePassword(me, location.href);
    requireTwoFactorEnrolment(me, location.href);
    return { me };
  },
}).lazy(() => import("./routes/app/app-layout.tsx").then((m) => m.Route));

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  validateSearch: dashboardSearchSchema,
  search: { middlewares: [stripSearchParams(dashboardSearchDefaults)] },
  // People without the dashboard land on their account page.
  beforeLoad: ({ context }) => {
    if (!context.me.permissions.includes("dashboard:read")) throw redirect({ to: "/account" });
  },
}).lazy(() => import("./routes/dashboard/dashboard-page.tsx").then((m) => m.Route));

const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "users",
  validateSearch: usersSearchSchema,
  search: { middlewares: [stripSearchParams(usersSearchDefaults)] },
  beforeLoad: requirePermission("users:read"),
}).lazy(() => import("./routes/users/users-page.tsx").then((m) => m.Route));

const userRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "users/$userId",
  params: {
    parse: ({ userId }) => {
      const id = Number(userId);
      if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) throw notFound();
      return { userId: id };
    },
    stringify: ({ userId }) => ({ userId: String(userId) }),
  },
  beforeLoad: requirePermission("users:read"),
}).lazy(() => import("./routes/user-detail/user-page.tsx").then((m) => m.Route));

const articlesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "articles",
  validateSearch: articlesSearchSchema,
  search: { middlewares: [stripSearchParams(articlesSearchDefaults)] },
  beforeLoad: requirePermission("content:moderate"),
}).lazy(() => import("./routes/articles/articles-page.tsx").then((m) => m.Route));

const commentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "comments",
  validateSearch: commentsSearchSchema,
  search: { middlewares: [stripSearchParams(commentsSearchDefaults)] },
  beforeLoad: requirePermission("content:moderate"),
}).lazy(() => import("./routes/comments/comments-page.tsx").then((m) => m.Route));

const tagsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "tags",
  validateSearch: tagsSearchSchema,
  search: { middlewares: [stripSearchParams(tagsSearchDefaults)] },
  beforeLoad: requirePermission("tags:manage"),
}).lazy(() => import("./routes/tags/tags-page.tsx").then((m) => m.Route));

const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "audit",
  validateSearch: auditSearchSchema,
  beforeLoad: requirePermission("audit:read"),
}).lazy(() => import("./routes/audit/audit-page.tsx").then((m) => m.Route));

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "settings",
  beforeLoad: requirePermission("users:manage"),
}).lazy(() => import("./routes/settings/settings-page.tsx").then((m) => m.Route));
const jobsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "jobs",
  validateSearch: jobsSearchSchema,
  beforeLoad: requirePermission("jobs:manage"),
}).lazy(() => import("./routes/jobs/jobs-page.tsx").then((m) => m.Route));

const outboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "outbox",
  validateSearch: outboxSearchSchema,
  search: { middlewares: [stripSearchParams(outboxSearchDefaults)] },
  beforeLoad: requirePermission("outbox:read"),
}).lazy(() => import("./routes/outbox/outbox-page.tsx").then((m) => m.Route));

const webhooksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "webhooks",
  validateSearch: webhooksSearchSchema,
  beforeLoad: requirePermission("webhooks:manage"),
}).lazy(() => import("./routes/webhooks/webhooks-page.tsx").then((m) => m.Route));

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "account",
}).lazy(() => import("./routes/account/account-page.tsx").then((m) => m.Route));

const apiKeysRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "api-keys",
  beforeLoad: requirePermission("keys:manage"),
}).lazy(() => import("./routes/api-keys/api-keys-page.tsx").then((m) => m.Route));

const routeTree = rootRoute.addChildren([
  signInRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
  acceptInviteRoute,
  verifyEmailRoute,
  signInCallbackRoute,
  changePasswordRoute,
  twoFactorSetupRoute,
  appRoute.addChildren([
    dashboardRoute,
    usersRoute,
    userRoute,
    articlesRoute,
    commentsRoute,
    tagsRoute,
    auditRoute,
    settingsRoute,
    jobsRoute,
    outboxRoute,
    webhooksRoute,
    accountRoute,
    apiKeysRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // Queries cache data; the router only needs to load code.
  defaultPreloadStaleTime: 0,
  defaultPendingComponent: PageSkeleton,
  defaultErrorComponent: RouteError,
  defaultNotFoundComponent: NotFound,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
