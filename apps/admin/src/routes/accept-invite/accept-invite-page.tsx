import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { PasswordByLinkForm, type PasswordByLinkTexts } from "../account-links/password-by-link-form.tsx";

export const Route = createLazyRoute("/accept-invite")({ component: AcceptInvitePage });

const route = getRouteApi("/accept-invite");

const texts: PasswordByLinkTexts = {
  missingToken: "This page needs the whole link from the invitation email. Open it again.",
  formLabel: "Choose your password",
  passwordLabel: "Password",
  submitLabel: "Set my password",
  done: {
    testId: "invite-done",
    text: "Welcome to Inkwell. Sign in with your email address and the password you chose.",
  },
  askForNewLink: "The link does not work? Ask for a password reset link instead",
};

/**
 * Where an invitation's link lands: the invited person chooses their first
 * password (the server's password reset, which takes invitation tokens too),
 * which also verifies their address. The link works once, for 7 days.
 */
function AcceptInvitePage() {
  const { token } = route.useSearch();
  return (
    <StandalonePage
      title="Welcome to Inkwell"
      description="You were invited: choose the password you will sign in with. The link works once, for 7 days."
    >
      <PasswordByLinkForm token={token} texts={texts} />
    </StandalonePage>
  );
}
