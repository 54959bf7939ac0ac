import { useQuery } from "@tanstack/react-query";
import { trpc } from "../trpc.ts";
import { AccountPanel } from "./account-panel.tsx";

export function StatusPage() {
  const status = useQuery(trpc.system.status.queryOptions());

  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>Inkwell</h1>
      {status.isPending && <p aria-busy="true">Checking the server…</p>}
      {status.isError && <p role="alert">Could not reach the server: {status.error.message}</p>}
      {status.data && (
        <dl>
          <dt>Server version</dt>
          <dd data-testid="server-version">{status.data.version}</dd>
          <dt>Database</dt>
          <dd data-testid="database-status">
            {status.data.database.reachable
              ? `reachable (${status.data.database.latencyMs} ms), migrations ${status.data.database.migrations.applied}/${status.data.database.migrations.expected} applied`
              : `unreachable: ${status.data.database.error}`}
          </dd>
        </dl>
      )}
      <AccountPanel />
    </main>
  );
}
