import { useState } from "react";

/** What a refused OIDC sign-in means, by the code the server sends back in `?sign_in_error=CODE`. */
const WHY: Record<string, string> = {
  EMAIL_NOT_ALLOWED: "Your account's e-mail address may not sign in to this server. Ask its administrator to allow it.",
  USER_DISABLED: "Your account was disabled on this server.",
  OIDC_SIGN_IN_FAILED: "The provider did not sign you in (the sign-in was cancelled or refused).",
  OIDC_STATE_MISMATCH: "This sign-in could not be matched to this browser (it took too long, or began elsewhere). Please try again.",
  OIDC_TOKEN_EXPIRED: "The provider's answer had already expired, so you were not signed in. Please try again.",
  OIDC_TOKEN_INVALID: "The provider's answer could not be verified, so you were not signed in. If this keeps happening, tell the administrator.",
  OIDC_PROVIDER_UNAVAILABLE: "The sign-in provider is not answering right now. Please try again in a moment.",
};

export function signInErrorText(code: string): string {
  return WHY[code] ?? `The sign-in did not work (${code}).`;
}

/** The error the server sent the browser back with, read once and then taken off the address bar. */
function takeSignInError(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get("sign_in_error");
  if (code === null) return null;
  url.searchParams.delete("sign_in_error");
  window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  return code.replace(/[^A-Z_]/g, "").slice(0, 40) || "UNKNOWN";
}

/** AUTH_MODE=oidc (issue 13): one button to the server's OpenID Connect provider. */
export function OidcSignIn({ provider, loginUrl }: { provider: string; loginUrl: string }) {
  const [error] = useState(takeSignInError);
  const here = window.location.pathname + window.location.search;
  const href = `${loginUrl}?next=${encodeURIComponent(here)}`;
  return (
    <main className="flex h-dvh items-center justify-center p-4">
      <section className="w-full max-w-md space-y-4 rounded-lg border border-slate-200 p-6 dark:border-slate-800" aria-label="Sign in">
        <h1 className="text-lg font-semibold">Sign in to LG-Urban</h1>
        <p className="text-sm text-slate-500">This server signs you in through {provider}.</p>
        {error && (
          <p role="alert" className="text-sm text-red-600" data-code={error}>
            {signInErrorText(error)}
          </p>
        )}
        <a href={href} className="inline-block rounded bg-blue-600 px-3 py-1.5 text-sm text-white">
          Sign in with {provider}
        </a>
      </section>
    </main>
  );
}
