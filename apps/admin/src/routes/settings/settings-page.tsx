import { createLazyRoute } from "@tanstack/react-router";
import { PageHeader } from "../../components/page-header.tsx";
import { RequireTwoFactorCard } from "./require-two-factor-card.tsx";

export const Route = createLazyRoute("/_app/settings")({ component: SettingsPage });

function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Rules for every account, shared by every server process." />
      <RequireTwoFactorCard />
    </>
  );
}
