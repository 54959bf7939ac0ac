import { createLazyRoute } from "@tanstack/react-router";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { SignInForm } from "./sign-in-form.tsx";

export const Route = createLazyRoute("/sign-in")({ component: SignInPage });

function SignInPage() {
  return (
    <StandalonePage title="Sign in" description="Operators and moderators manage Inkwell here.">
      <SignInForm />
    </StandalonePage>
  );
}
