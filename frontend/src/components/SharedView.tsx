// The page a shared link opens (/s/<token>, issue 19): the conversation read-only, no sign-in.
import { useQuery } from "@tanstack/react-query";
import { ApiError, toApiError } from "../api/client";
import type { components } from "../api/schema";
import type { Artifact, Message } from "../api/types";
import { explainError } from "../lib/errors";
import { ReadOnly } from "../lib/readonly";
import { idleRun } from "../lib/run";
import { useTheme } from "../lib/theme";
import { MessageList } from "./MessageList";

type Shared = Omit<components["schemas"]["SharedThreadOut"], "items"> & { items: Message[] };

export function sharedToken(pathname: string): string | null {
  const m = /^\/s\/([^/]+)$/.exec(pathname);
  return m ? decodeURIComponent(m[1]) : null;
}

async function load(token: string): Promise<Shared> {
  const res = await fetch(`/api/shared/${encodeURIComponent(token)}`, { headers: { Accept: "application/json" } });
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as Shared;
}

export function SharedView({ token }: { token: string }) {
  const shared = useQuery({ queryKey: ["shared", token], queryFn: () => load(token), retry: false });
  useTheme(); // the visitor's own theme choice (or the system's)
  const open = (a: Artifact) => window.open(a.url, "_blank", "noopener");
  if (shared.error) {
    const err = shared.error instanceof ApiError ? shared.error : null;
    const text = explainError(err?.code ?? "NETWORK_ERROR", err?.message ?? String(shared.error));
    return (
      <main className="mx-auto max-w-xl p-8" data-testid="shared-error">
        <h1 className="text-lg font-semibold">{text.title}</h1>
        <p className="mt-2 text-slate-700 dark:text-slate-300">{text.detail}</p>
      </main>
    );
  }
  return (
    <main className="flex h-dvh flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100" data-testid="shared-view">
      <header className="border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h1 className="truncate text-base font-semibold">{shared.data?.title ?? "Loading…"}</h1>
        <p className="text-xs text-slate-600 dark:text-slate-400">A shared conversation, read-only{shared.data ? ` — shared ${new Date(shared.data.shared_at).toLocaleDateString()}` : ""}.</p>
      </header>
      <ReadOnly.Provider value={true}>
        {shared.data && <MessageList messages={shared.data.items} run={idleRun} onOpenArtifact={open} />}
      </ReadOnly.Provider>
    </main>
  );
}
