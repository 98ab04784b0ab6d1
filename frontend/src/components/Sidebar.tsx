import { useEffect, useMemo, useState } from "react";
import { signOut, useDeleteThread, useMe, useThreadSearch, useThreads, useUpdateThread } from "../api/hooks";
import type { ThreadListItem } from "../api/types";
import { ArchiveIcon, PencilIcon, TrashIcon, UnarchiveIcon } from "./Icons";
import { MatchSnippet } from "./MatchSnippet";
import { ThemeSwitch } from "./ThemeSwitch";

function ago(iso: string): string {
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** Threads, newest activity first: new, search, rename, archive/unarchive, delete. */
export function Sidebar({
  activeId,
  onSelect,
  onNew,
}: {
  activeId: string | null;
  onSelect: (id: string | null) => void;
  /** Open a fresh home page: the thread is created by its first message. */
  onNew: () => void;
}) {
  const [showArchived, setShowArchived] = useState(false);
  const [query, setQuery] = useState("");
  const q = useDebounced(query.trim(), 200);
  const listed = useThreads(showArchived);
  const searched = useThreadSearch(showArchived, q);
  // a search asks the server, which looks in the messages too, not only in the titles
  const threads = q ? searched : listed;
  const items = useMemo(() => {
    const all = threads.data?.items ?? [];
    const shown = showArchived ? all.filter((t) => t.archived_at) : all;
    return [...shown].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  }, [threads.data, showArchived]);

  return (
    <aside className="flex w-72 shrink-0 max-wide:w-full flex-col border-r border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900/50">
      <div className="flex items-center gap-2 px-4 pb-2 pt-4">
        <span className="text-lg font-semibold tracking-tight">LG-Urban</span>
        <span className="text-xs text-slate-600 dark:text-slate-400">Bologna open data</span>
      </div>
      <div className="space-y-2 px-3">
        <button
          type="button"
          onClick={onNew}
          className="w-full rounded-lg bg-sky-700 px-3 py-2 text-sm font-medium text-white hover:bg-sky-800 max-wide:min-h-11"
          data-testid="new-thread"
        >
          + New thread
        </button>
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search threads and messages"
          aria-label="Search threads"
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm max-wide:min-h-11 max-wide:text-base dark:border-slate-700 dark:bg-slate-900"
        />
        <label className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400 max-wide:min-h-11">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          Show archived only
        </label>
      </div>
      <nav className="mt-2 min-h-0 flex-1 overflow-y-auto px-2" aria-label="Threads" data-testid="thread-list" data-ready={threads.isSuccess && !threads.isPlaceholderData && q === query.trim()}>
        {threads.isError && <p className="px-2 text-sm text-red-600">Could not load threads: {threads.error.message}</p>}
        {threads.isSuccess && items.length === 0 && (
          <p className="px-2 py-4 text-sm text-slate-600 dark:text-slate-400">{query ? "No thread matches." : showArchived ? "No archived threads." : "No threads yet."}</p>
        )}
        <ul className="space-y-0.5">
          {items.map((t) => (
            <ThreadRow key={t.id} thread={t} active={t.id === activeId} onSelect={onSelect} />
          ))}
        </ul>
      </nav>
      <div className="border-t border-slate-200 p-3 dark:border-slate-800">
        <SignedIn />
        <ThemeSwitch />
      </div>
    </aside>
  );
}

/** "Signed in as NAME" and Sign out, when the server has accounts (AUTH_MODE=token or oidc). */
function SignedIn() {
  const me = useMe();
  if (!me.data || me.data.auth_mode === "local") return null;
  return (
    <div className="mb-2 flex items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-400">
      <span className="truncate" data-testid="signed-in-as">
        Signed in as <strong>{me.data.name}</strong>
      </span>
      <button type="button" className="rounded px-2 py-1 hover:bg-slate-200 dark:hover:bg-slate-800 max-wide:min-h-11" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function ThreadRow({ thread, active, onSelect }: { thread: ThreadListItem; active: boolean; onSelect: (id: string | null) => void }) {
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(thread.title);
  const [confirming, setConfirming] = useState(false);
  const update = useUpdateThread();
  const del = useDeleteThread();
  const archived = !!thread.archived_at;

  const saveTitle = () => {
    setEditing(false);
    const t = title.trim();
    if (t && t !== thread.title) update.mutate({ id: thread.id, title: t });
    else setTitle(thread.title);
  };

  return (
    <li
      className={`group rounded-lg ${active ? "bg-sky-100 dark:bg-sky-900/40" : "hover:bg-slate-200/60 dark:hover:bg-slate-800/60"}`}
      data-testid="thread-item"
    >
      {editing ? (
        <input
          autoFocus
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={saveTitle}
          onKeyDown={(e) => {
            if (e.key === "Enter") saveTitle();
            if (e.key === "Escape") {
              setTitle(thread.title);
              setEditing(false);
            }
          }}
          aria-label="Thread title"
          className="w-full rounded-lg border border-sky-500 bg-white px-2 py-1.5 text-sm dark:bg-slate-900"
        />
      ) : (
        <div className="relative flex items-center">
          <button type="button" onClick={() => onSelect(thread.id)} className="min-w-0 flex-1 px-2 py-1.5 text-left max-wide:min-h-11" data-testid="thread-open">
            <div className="truncate text-sm" title={thread.title}>
              {thread.title}
            </div>
            {thread.match && <MatchSnippet match={thread.match} />}
            <div className="text-[11px] text-slate-600 dark:text-slate-400">
              {archived ? "archived · " : ""}
              {ago(thread.updated_at)}
            </div>
          </button>
          {/* on a wide screen the actions float over the end of the title on hover, so the title uses the whole row */}
          <div
            className={`flex shrink-0 gap-0.5 rounded-lg pr-1 wide:absolute wide:inset-y-0 wide:right-0 wide:items-center wide:pl-2 wide:opacity-0 wide:focus-within:opacity-100 wide:group-hover:opacity-100 ${
              active ? "wide:bg-sky-100 dark:wide:bg-sky-900" : "wide:bg-slate-200 dark:wide:bg-slate-800"
            }`}
            data-testid="thread-actions"
          >
            <IconButton label="Rename" onClick={() => setEditing(true)}><PencilIcon /></IconButton>
            <IconButton label={archived ? "Unarchive" : "Archive"} onClick={() => update.mutate({ id: thread.id, archived: !archived })}>
              {archived ? <UnarchiveIcon /> : <ArchiveIcon />}
            </IconButton>
            <IconButton label="Delete" onClick={() => setConfirming(true)}><TrashIcon /></IconButton>
          </div>
        </div>
      )}
      {confirming && (
        <div
          className="mx-2 mb-2 rounded-md border border-red-300 bg-red-50 p-2 text-xs text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
          role="alertdialog"
          aria-label={`Delete “${thread.title}”?`}
          onKeyDown={(e) => {
            if (e.key !== "Escape") return;
            e.stopPropagation(); // Escape answers this question only, not the drawer around it
            setConfirming(false);
          }}
        >
          Delete “{thread.title}” with its messages, files and sandbox? This cannot be undone.
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              onClick={() =>
                del.mutate(thread.id, {
                  onSuccess: () => {
                    setConfirming(false);
                    if (active) onSelect(null);
                  },
                })
              }
              className="rounded bg-red-600 px-2 py-1 text-white hover:bg-red-700 max-wide:min-h-11"
            >
              Delete
            </button>
            <button type="button" autoFocus onClick={() => setConfirming(false)} className="rounded border border-slate-300 px-2 py-1 max-wide:min-h-11 dark:border-slate-700">
              Cancel
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

function IconButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      title={label}
      aria-label={label}
      onClick={onClick}
      className="rounded px-1.5 py-1 text-xs text-slate-600 dark:text-slate-400 max-wide:min-h-11 max-wide:min-w-11 hover:bg-slate-300/60 hover:text-slate-900 dark:hover:bg-slate-700 dark:hover:text-white"
    >
      {children}
    </button>
  );
}
