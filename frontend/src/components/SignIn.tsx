import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { api, ApiError, UNAUTHORIZED_EVENT } from "../api/client";
import { useAuthConfig, useMe } from "../api/hooks";
import { OidcSignIn } from "./OidcSignIn";

/** AUTH_MODE=token (issue 13): paste an API token; the server answers with a session cookie. */
export function SignIn({ onSignedIn = () => window.location.reload() }: { onSignedIn?: () => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await api<void>("/api/auth/session", { method: "POST", json: { token: token.trim() } });
      onSignedIn();
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "NETWORK_ERROR";
      setError(
        code === "INVALID_TOKEN"
          ? "This token is not valid (unknown, revoked, or its user is disabled)."
          : err instanceof Error
            ? err.message
            : "Could not sign in.",
      );
      setBusy(false);
    }
  };
  return (
    <main className="flex h-dvh items-center justify-center p-4">
      <form onSubmit={submit} className="w-full max-w-md space-y-4 rounded-lg border border-slate-200 p-6 dark:border-slate-800" aria-label="Sign in">
        <h1 className="text-lg font-semibold">Sign in to LG-Urban</h1>
        <p className="text-sm text-slate-500">
          Paste your API token. An administrator makes one with <code>lgurban users create NAME</code>, which prints it once.
        </p>
        <label className="block text-sm">
          API token
          <input
            type="password"
            autoComplete="off"
            autoFocus
            value={token}
            onChange={(e) => setToken(e.target.value)}
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5 font-mono dark:border-slate-700 dark:bg-slate-900"
            placeholder="lgu_…"
          />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !token.trim()} className="rounded bg-blue-600 px-3 py-1.5 text-sm text-white disabled:opacity-50">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

/** The app once /api/me says who the caller is; the sign-in page when it answers 401. */
export function AuthGate({ children }: { children: ReactNode }) {
  const me = useMe();
  const { refetch } = me;
  useEffect(() => {
    // a session that ends while the app is open (signed out elsewhere, revoked, expired) leads back here
    const recheck = () => void refetch();
    window.addEventListener(UNAUTHORIZED_EVENT, recheck);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, recheck);
  }, [refetch]);
  const signedOut = me.error instanceof ApiError && me.error.status === 401;
  const config = useAuthConfig(signedOut);
  if (me.isPending || (signedOut && config.isPending)) return null;
  if (signedOut && config.data?.auth_mode === "oidc" && config.data.oidc_login_url)
    return <OidcSignIn provider={config.data.oidc_provider ?? "your provider"} loginUrl={config.data.oidc_login_url} />;
  if (signedOut) return <SignIn />; // AUTH_MODE=token (or the config unreadable: the token form still works)
  return <>{children}</>; // other failures (the server away) are the app's own error states
}
