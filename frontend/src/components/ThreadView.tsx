import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { useMessages, useThread, useUpdateThread } from "../api/hooks";
import type { Artifact } from "../api/types";
import { useChatRun } from "../lib/useChatRun";
import { Lightbox } from "./Artifact";
import { Banner, RunErrorBanner } from "./Banner";
import { Composer } from "./Composer";
import { GearIcon } from "./Icons";
import { MessageList } from "./MessageList";
import { SettingsDialog } from "./SettingsDialog";

const NotebookPanel = lazy(() => import("./NotebookPanel").then((m) => ({ default: m.NotebookPanel })));
const GalleryPanel = lazy(() => import("./GalleryPanel").then((m) => ({ default: m.GalleryPanel })));
const DatasetsPanel = lazy(() => import("./DatasetsPanel").then((m) => ({ default: m.DatasetsPanel })));

export type Tab = "chat" | "notebook" | "gallery" | "datasets";

function fmtTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(n);
}

/** One thread: header (title, context usage, settings), tabs, and the chat with its composer. */
export function ThreadView({ threadId, tab, onTab }: { threadId: string | null; tab: Tab; onTab: (t: Tab) => void }) {
  const thread = useThread(threadId);
  const messages = useMessages(threadId);
  const chat = useChatRun(threadId);
  const updateThread = useUpdateThread();
  const qc = useQueryClient();
  const [open, setOpen] = useState<Artifact | null>(null);
  // the first message names an untitled thread at once (the server's own title comes only after the answer)
  const send = async (text: string) => {
    // on a fast first message the thread or its history may still be loading: wait for them to decide
    const current = thread.data ?? (await thread.refetch()).data;
    const history = messages.data ?? (await messages.refetch()).data;
    if (current && current.title === "New thread" && (history?.length ?? 0) === 0) {
      const title = text.trim().split("\n")[0].slice(0, 80);
      if (title) updateThread.mutate({ id: current.id, title });
    }
    return chat.send(text);
  };
  const [settings, setSettings] = useState(false);
  const ctx = chat.state.context;
  // the thread's own setting is the truth for the window (the state may predate a settings change)
  const window = thread.data?.config.context_window ?? ctx?.context_window;

  const tabs: Array<[Tab, string]> = [
    ["chat", "Chat"],
    ["notebook", "Notebook"],
    ["gallery", "Gallery"],
    ["datasets", "Datasets"],
  ];

  return (
    <main className="flex min-w-0 flex-1 flex-col">
      <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h1 className="min-w-0 truncate text-base font-semibold" data-testid="thread-title">
          {thread.data?.title ?? (threadId ? "…" : "No thread selected")}
        </h1>
        <nav className="ml-4 flex gap-1" role="tablist">
          {tabs.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              disabled={!threadId && id !== "datasets"}
              onClick={() => onTab(id)}
              className={`rounded-md px-3 py-1 text-sm disabled:opacity-40 ${
                tab === id ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"
              }`}
            >
              {label}
            </button>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          {threadId && window ? (
            <span className="text-xs text-slate-500" title="Context used by this thread / the model's context window" data-testid="context-usage">
              context {fmtTokens(ctx?.tokens_used ?? 0)} / {fmtTokens(window)}
              <span className="ml-2 inline-block h-1.5 w-16 overflow-hidden rounded bg-slate-200 align-middle dark:bg-slate-800">
                <span className="block h-full bg-sky-500" style={{ width: `${Math.min(100, ((ctx?.tokens_used ?? 0) / window) * 100)}%` }} />
              </span>
            </span>
          ) : null}
          {thread.data && (
            <button type="button" onClick={() => setSettings(true)} aria-label="Thread settings" title="Thread settings" className="rounded-md px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800">
              <GearIcon />
            </button>
          )}
        </div>
      </header>
      {chat.connection === "lost" && (
        <Banner tone="warn" title="Connection lost — reconnecting…">
          <p>The run goes on on the server; this page will catch up as soon as it answers again.</p>
        </Banner>
      )}
      {thread.isError && <Banner tone="error" title="Could not open this thread">{thread.error.message}</Banner>}
      <Suspense fallback={<p className="p-6 text-sm text-slate-500">Loading…</p>}>
        {tab === "chat" && threadId && (
          <>
            {messages.isSuccess && messages.data.length === 0 && !chat.state.pendingUser && !chat.running && <EmptyChat />}
            <MessageList messages={messages.data ?? []} run={chat.state} onOpenArtifact={setOpen} />
            {chat.state.error && <RunErrorBanner {...chat.state.error} onDismiss={chat.dismissError} />}
            {thread.data?.archived_at && (
              <p className="text-center text-xs text-slate-500">This thread is archived: unarchive it in the sidebar to continue.</p>
            )}
            <Composer
              running={chat.running}
              stopped={chat.state.stopped}
              onSend={send}
              onStop={chat.stop}
              disabled={!!thread.data?.archived_at}
              threadId={threadId}
              onUploaded={() => qc.invalidateQueries({ queryKey: ["files", threadId] })}
            />
          </>
        )}
        {tab === "chat" && !threadId && <Welcome />}
        {tab === "notebook" && threadId && <NotebookPanel threadId={threadId} onOpenArtifact={setOpen} />}
        {tab === "gallery" && threadId && <GalleryPanel threadId={threadId} onOpen={setOpen} />}
        {tab === "datasets" && <DatasetsPanel threadId={threadId} />}
      </Suspense>
      <Lightbox artifact={open} onClose={() => setOpen(null)} />
      {settings && thread.data && <SettingsDialog thread={thread.data} onClose={() => setSettings(false)} />}
    </main>
  );
}

function EmptyChat() {
  return (
    <div className="mx-auto max-w-2xl px-6 pt-10 text-center text-sm text-slate-500">
      <p className="text-base text-slate-700 dark:text-slate-300">Ask a question about Bologna’s open data.</p>
      <p className="mt-2">For example: “How many bicycles were counted on Via Irnerio last month? Plot the daily totals.”</p>
    </div>
  );
}

function Welcome() {
  return (
    <div className="mx-auto max-w-xl px-6 pt-20 text-center">
      <h2 className="text-2xl font-semibold">Welcome to LG-Urban</h2>
      <p className="mt-3 text-slate-600 dark:text-slate-400">
        An AI data analyst for the City of Bologna’s open data. Start a new thread on the left, browse the catalog in Datasets, or run
        Python yourself in a thread’s Notebook.
      </p>
    </div>
  );
}
