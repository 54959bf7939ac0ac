import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { trpc } from "../trpc.ts";

function SignInForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate({ email, password });
  }

  return (
    <form onSubmit={submit} aria-label="Sign in">
      <h2>Sign in</h2>
      <p>
        <label>
          Email{" "}
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
      </p>
      <p>
        <label>
          Password{" "}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      </p>
      {signIn.isError && <p role="alert">{signIn.error.message}</p>}
      <button type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

export function AccountPanel() {
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { retry: false }));
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: () => queryClient.resetQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );

  if (me.isPending) return <p aria-busy="true">Checking your session…</p>;
  if (me.isError) return <SignInForm />;

  const { user, permissions } = me.data;
  return (
    <section aria-label="Account">
      <h2>Signed in</h2>
      <p data-testid="signed-in-as">
        {user.username} ({user.role}), member since {user.createdAt.toLocaleDateString("en", { dateStyle: "medium" })}
      </p>
      <p>Permissions: {permissions.join(", ")}</p>
      <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        Sign out
      </button>
    </section>
  );
}
