import { useQueryClient } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import { useEffect } from "react";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { forgetSignedOutUser } from "../../lib/session-ended.ts";
import { SignInForm } from "./sign-in-form.tsx";

export const Route = createLazyRoute("/sign-in")({ component: SignInPage });

function SignInPage() {
  const queryClient = useQueryClient();
  // Here, after a sign-out, the console's pages are gone: their cached data can go without any of them refetching.
  useEffect(() => forgetSignedOutUser(queryClient), [queryClient]);
  return (
    <StandalonePage title="Sign in" description="Operators and moderators manage Inkwell here.">
      <SignInForm />
    </StandalonePage>
  );
}
