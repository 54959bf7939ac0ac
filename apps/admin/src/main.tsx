import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./accessibility.css";
import { MantineProvider } from "@mantine/core";
import { ModalsProvider } from "@mantine/modals";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { onUnauthorized, queryClient } from "./lib/query-client.ts";
import { signInSearch } from "./lib/redirect-search.ts";
import { router } from "./router.tsx";
import { theme } from "./theme.ts";
import { contrastCssVariablesResolver } from "./theme-contrast.ts";

// A session that ends while the console is open (expired, revoked elsewhere) sends the user to sign in.
onUnauthorized(() => {
  const { pathname, href } = router.state.location;
  // The sign-in pages report their own refusals (a wrong password, a provider's answer not accepted).
  if (!pathname.startsWith("/sign-in")) void router.navigate({ to: "/sign-in", search: signInSearch(href) });
});

// Mantine writes <style> elements (CSS variables, responsive props); the Content-Security-Policy admits only
// those carrying the nonce the server put in index.html. Read through `.nonce`: browsers hide the attribute.
const styleNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce;

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <MantineProvider
        theme={theme}
        cssVariablesResolver={contrastCssVariablesResolver}
        defaultColorScheme="auto"
        getStyleNonce={styleNonce ? () => styleNonce : undefined}
      >
        <ModalsProvider>
          {/* Bottom right: at the top they covered the header's theme toggle and account menu. */}
          <Notifications position="bottom-right" />
          <RouterProvider router={router} />
        </ModalsProvider>
      </MantineProvider>
    </QueryClientProvider>
  </StrictMode>,
);
