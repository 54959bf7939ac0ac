import { createLazyRoute } from "@tanstack/react-router";
import { PageHeader } from "../../components/page-header.tsx";
import { MyApiKeys } from "../account/my-api-keys.tsx";

export const Route = createLazyRoute("/_app/api-keys")({ component: ApiKeysPage });

/** The signed-in user's API keys, on a page of their own (they used to sit at the foot of My account). */
function ApiKeysPage() {
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for scripts and other apps, each limited to the scopes you choose and your role's permissions."
      />
      <MyApiKeys />
    </>
  );
}
