import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { useMessages, useModelConfigured, useThread, useThreadState, useUpdateThread } from "../api/hooks";
import { ApiError } from "../api/client";
import type { Artifact } from "../api/types";
import { NEW_SCOPE } from "../lib/drafts";
import { takeHandoff } from "../lib/outbox";
import type { PendingMessage } from "../lib/drafts";
import { useChatRun } from "../lib/useChatRun";
import { ApprovalCard } from "./ApprovalCard";
import { Lightbox } from "./Artifact";
import { Banner, ErrorNotice, NoModelBanner, RunErrorBanner } from "./Banner";
import { Composer } from "./Composer";
import { ExportMenu } from "./ExportMenu";
import { ShareMenu } from "./ShareMenu";
import { GearIcon } from "./Icons";
import { MessageList } from "./MessageList";
import { RerunButton, useForkAndOpen } from "./Reproduce";
import { SettingsDialog } from "./SettingsDialog";

const NotebookPanel = lazy(() => import("./NotebookPanel").then((m) => ({ default: m.NotebookPanel })));
const GalleryPanel = lazy(() => import("./GalleryPanel").then((m) => ({ default: m.GalleryPanel })));
const DatasetsPanel = lazy(() => import("./DatasetsPanel").then((m) => ({ default: m.DatasetsPanel })));

export type Tab = "chat" | "notebook" | "gallery" | "datasets";

const TABS: Array<[Tab, string]> = [
  ["chat", "Chat"],
  ["notebook", "Notebook"],
  ["gallery", "Gallery"],
  ["datasets", "Datasets"],
];

function fmtTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(n);
}

interface Props {
  threadId: string | null;
  tab: Tab;
  onTab: (t: Tab) => void;
  narrow?: boolean;
  onMenu?: () => void;
  /** The home page's first message: creates the thread (see lib/outbox). */
  onStartThread?: (text: string) => void;
  startError?: unknown;
  /** Open another thread (issue 20: the new thread of a re-run or a fork). */
  onOpenThread?: (id: string) => void;
}

/** One thread (or the home page, when `threadId` is null): header, tabs, and the chat with its composer. */
export function ThreadView({ threadId, tab, onTab, narrow = false, onMenu, onStartThread, startError, onOpenThread }: Props) {
  const thread = useThread(threadId);
  const messages = useMessages(threadId);
  const chat = useChatRun(threadId);
  const threadState = useThreadState(threadId);
  // issue 15: a report draft waiting for approval (live from the stream, else as the server's state says)
  const draft = chat.running ? null : (chat.state.approval ?? threadState.data?.approval?.draft ?? null);
  const updateThread = useUpdateThread();
  const modelConfigured = useModelConfigured();
  const qc = useQueryClient();
  const [open, setOpen] = useState<Artifact | null>(null);
  const [settings, setSettings] = useState(false);
  const fork = useForkAndOpen(threadId, onOpenThread);
  // messages typed on the home page before this thread existed, sent one run after the other
  const [queue, setQueue] = useState<PendingMessage[]>([]);
  useEffect(() => {
    const items = threadId ? takeHandoff(threadId) : [];
    if (items.length) setQueue(items);
  }, [threadId]);
  useEffect(() => {
    if (chat.running || queue.length === 0) return;
    const [next, ...rest] = queue;
    setQueue(rest);
    void chat.send(next.text, next.id);
  }, [queue, chat]);
  // the first message names an untitled thread at once (the server's own title comes only after the answer)
  const send = async (text: string) => {
    if (!threadId) return onStartThread?.(text);
    // on a fast first message the thread or its history may still be loading: wait for them to decide
    const current = thread.data ?? (await thread.refetch()).data;
    const history = messages.data ?? (await messages.refetch()).data;
    if (current && current.title === "New thread" && (history?.length ?? 0) === 0) {
      const title = text.trim().split("\n")[0].slice(0, 80);
      if (title) updateThread.mutate({ id: current.id, title });
    }
    return chat.send(text);
  };
  const ctx = chat.state.context;
  // the thread's own setting is the truth for the window (the state may predate a settings change)
  const window = thread.data?.config.context_window ?? ctx?.context_window;
  const empty = !threadId || (messages.isSuccess && messages.data.length === 0 && !chat.state.pendingUser && !chat.running && queue.length === 0);
  const touch = "max-wide:min-h-11 max-wide:min-w-11";

  const panel = (content: ReactNode, label: string) =>
    narrow ? <Sheet title={label} onClose={() => onTab("chat")}>{content}</Sheet> : content;

  return (
    <main className="flex min-w-0 flex-1 flex-col">
      <header className="flex flex-wrap items-center wide:flex-nowrap gap-x-3 gap-y-1 border-b border-slate-200 px-2 py-2 wide:px-4 dark:border-slate-800">
        {narrow && (
          <button type="button" onClick={onMenu} aria-label="Menu" title="Menu" className={`rounded-md px-2 hover:bg-slate-100 dark:hover:bg-slate-800 ${touch}`}>
            <span aria-hidden="true" className="text-xl leading-none">☰</span>
          </button>
        )}
        <h1 className="min-w-0 flex-1 truncate text-base font-semibold wide:flex-initial" data-testid="thread-title">
          {thread.data?.title ?? (threadId ? "…" : "New thread")}
        </h1>
        <nav className="order-last flex w-full gap-1 overflow-x-auto wide:order-none wide:ml-4 wide:w-auto wide:shrink-0" role="tablist">
          {TABS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              disabled={!threadId && id !== "datasets" && id !== "chat"}
              onClick={() => onTab(id)}
              className={`rounded-md px-3 py-1 text-sm disabled:opacity-40 ${touch} ${
                tab === id ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"
              }`}
            >
              {label}
            </button>
          ))}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-3">
          {threadId && window ? (
            <span className="whitespace-nowrap text-xs text-slate-600 dark:text-slate-400 max-wide:hidden" title="Context used by this thread / the model's context window" data-testid="context-usage">
              context {fmtTokens(ctx?.tokens_used ?? 0)} / {fmtTokens(window)}
              <span className="ml-2 inline-block h-1.5 w-16 overflow-hidden rounded bg-slate-200 align-middle dark:bg-slate-800">
                <span className="block h-full bg-sky-500" style={{ width: `${Math.min(100, ((ctx?.tokens_used ?? 0) / window) * 100)}%` }} />
              </span>
            </span>
          ) : null}
          {thread.data && threadId && onOpenThread && <RerunButton threadId={threadId} touch={touch} onOpenThread={onOpenThread} />}
          {thread.data && threadId && <ShareMenu threadId={threadId} touch={touch} />}
          {thread.data && threadId && <ExportMenu threadId={threadId} touch={touch} />}
          {thread.data && (
            <button type="button" onClick={() => setSettings(true)} aria-label="Thread settings" title="Thread settings" className={`rounded-md px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800 ${touch}`}>
              <GearIcon />
            </button>
          )}
        </div>
      </header>
      {fork.error && (
        <Banner tone="error" title="Could not fork this thread" onDismiss={fork.reset}>
          <p>{fork.error}</p>
        </Banner>
      )}
      {chat.connection === "lost" && (
        <Banner tone="warn" title="Connection lost — reconnecting…">
          <p>The run goes on on the server; this page will catch up as soon as it answers again.</p>
        </Banner>
      )}
      {thread.isError && (
        <ErrorNotice code={thread.error instanceof ApiError ? thread.error.code : "NETWORK_ERROR"} message={thread.error.message} onRetry={() => void thread.refetch()} />
      )}
      <Suspense fallback={<p className="p-6 text-sm text-slate-600 dark:text-slate-400">Loading…</p>}>
        {tab === "chat" && (
          <>
            {empty && modelConfigured === false && chat.state.error?.code !== "MODEL_NOT_CONFIGURED" && <NoModelBanner />}
            {startError != null && <StartError error={startError} />}
            {empty && (threadId ? messages.isSuccess : true) && <EmptyChat home={!threadId} />}
            {threadId ? <MessageList messages={messages.data ?? []} run={chat.state} onOpenArtifact={setOpen} onFork={fork.pending ? undefined : fork.fork} onEdit={(id, text) => void chat.resend("edit", id, text)} onRegenerate={(id) => void chat.resend("regenerate", id)} /> : <div className="flex-1" />}
            {draft != null && <ApprovalCard key={draft} draft={draft} onDecide={(d, text) => void chat.resume(d, text)} />}
            {chat.state.error && (
              <RunErrorBanner {...chat.state.error} onDismiss={chat.dismissError} onRetry={() => void chat.retry()} onOpenSettings={() => setSettings(true)} />
            )}
            {thread.data?.archived_at && (
              <p className="px-4 text-center text-xs text-slate-600 dark:text-slate-400" data-testid="archived-note">
                This thread is archived: the sidebar lists it under “Show archived only”. Unarchive it to continue.{" "}
                <button
                  type="button"
                  onClick={() => updateThread.mutate({ id: thread.data!.id, archived: false })}
                  className="ml-1 rounded border border-slate-300 px-2 py-0.5 text-slate-700 hover:bg-slate-100 max-wide:min-h-11 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800"
                >
                  Unarchive
                </button>
              </p>
            )}
            <Composer
              scope={threadId ?? NEW_SCOPE}
              running={chat.running}
              stopped={chat.state.stopped}
              onSend={send}
              onStop={chat.stop}
              disabled={!!thread.data?.archived_at}
              threadId={threadId ?? undefined}
              onUploaded={() => qc.invalidateQueries({ queryKey: ["files", threadId] })}
            />
          </>
        )}
        {tab === "notebook" && threadId && panel(<NotebookPanel threadId={threadId} onOpenArtifact={setOpen} />, "Notebook")}
        {tab === "gallery" && threadId && panel(<GalleryPanel threadId={threadId} onOpen={setOpen} />, "Gallery")}
        {tab === "datasets" && panel(<DatasetsPanel threadId={threadId} />, "Datasets")}
      </Suspense>
      <Lightbox artifact={open} onClose={() => setOpen(null)} />
      {settings && thread.data && <SettingsDialog thread={thread.data} onClose={() => setSettings(false)} />}
    </main>
  );
}

/** A side panel on a narrow screen: full screen, with a close button back to the chat. */
function Sheet({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div role="dialog" aria-modal="true" aria-label={title} className="fixed inset-0 z-30 flex flex-col bg-white dark:bg-slate-950" data-testid="sheet">
      <div className="flex items-center gap-2 border-b border-slate-200 px-2 py-1 dark:border-slate-800">
        <h2 className="flex-1 px-2 text-base font-semibold">{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close" className="min-h-11 min-w-11 rounded-md px-3 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
          ✕ Close
        </button>
      </div>
      <div className="flex min-h-0 flex-1 flex-col">{children}</div>
    </div>
  );
}

function StartError({ error }: { error: unknown }) {
  const code = error instanceof ApiError ? error.code : "NETWORK_ERROR";
  return <ErrorNotice code={code} message={error instanceof Error ? error.message : String(error)} />;
}

function EmptyChat({ home }: { home: boolean }) {
  return (
    <div className="mx-auto max-w-2xl px-6 pt-10 text-center text-sm text-slate-600 dark:text-slate-400">
      {home && <h2 className="mb-3 text-2xl font-semibold text-slate-900 dark:text-slate-100">Welcome to LG-Urban</h2>}
      <p className="text-base text-slate-700 dark:text-slate-300">Ask a question about Bologna’s open data.</p>
      <p className="mt-2">For example: “How many bicycles were counted on Via Irnerio last month? Plot the daily totals.”</p>
      {home && <p className="mt-2">Type below to start a thread, browse the catalog in Datasets, or run Python in a thread’s Notebook.</p>}
    </div>
  );
}
