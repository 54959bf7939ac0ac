import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { PasswordByLinkForm, type PasswordByLinkTexts } from "./password-by-link-form.tsx";

export const Route = createLazyRoute("/reset-password")({ component: ResetPasswordPage });

const route = getRouteApi("/reset-password");

const texts: PasswordByLinkTexts = {
  missingToken: "This page needs the whole link from the email. Open it again, or ask for a new one.",
  formLabel: "Choose a new password",
  passwordLabel: "New password",
  submitLabel: "Set new password",
  done: { testId: "reset-done", text: "Every session of your account has ended. Sign in with your new password." },
  askForNewLink: "Ask for a new link",
};

/** Where a reset link lands: choose a new password; every session of the account ends. */
function ResetPasswordPage() {
  const { token } = route.useSearch();
  return (
    <StandalonePage title="Choose a new password" description="The link from the email works once, for one hour.">
      <PasswordByLinkForm token={token} texts={texts} />
    </StandalonePage>
  );
}
