import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { ShortcutsDialog } from "./components/ShortcutsDialog";
import { Sidebar } from "./components/Sidebar";
import { ThreadView, type Tab } from "./components/ThreadView";
import { sendFromHome } from "./lib/outbox";
import { shortcutFor, type ShortcutAction } from "./lib/shortcuts";
import { useNarrow } from "./lib/useNarrow";

const focusComposer = () => document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')?.focus();

/** The open thread lives in the URL (/t/<id>), so a reload comes back to it. */
function threadFromPath(): string | null {
  const m = /^\/t\/([0-9a-f-]{36})/i.exec(window.location.pathname);
  return m ? m[1] : null;
}

export function App() {
  const qc = useQueryClient();
  const [threadId, setThreadId] = useState<string | null>(threadFromPath);
  const [tab, setTab] = useState<Tab>("chat");
  // each "+ New thread" is a fresh home page; its first message creates the thread (no empty threads)
  const [home, setHome] = useState(() => crypto.randomUUID());
  const [startError, setStartError] = useState<unknown>(null);
  const narrow = useNarrow();
  const [drawer, setDrawer] = useState(false);
  const view = useRef({ threadId, home });
  view.current = { threadId, home };
  useEffect(() => {
    const onPop = () => setThreadId(threadFromPath());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const drawerRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!drawer) return;
    drawerRef.current?.querySelector<HTMLElement>("button")?.focus(); // keyboard and screen-reader users land inside
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setDrawer(false);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      document.querySelector<HTMLElement>('button[aria-label="Menu"]')?.focus();
    };
  }, [drawer]);
  const select = useCallback((id: string | null) => {
    setThreadId(id);
    setDrawer(false);
    setTab((t) => (t === "datasets" && id ? t : "chat"));
    if (window.location.pathname !== (id ? `/t/${id}` : "/")) window.history.pushState(null, "", id ? `/t/${id}` : "/");
  }, []);
  const newThread = useCallback(() => {
    setHome(crypto.randomUUID());
    setStartError(null);
    select(null);
  }, [select]);
  const startThread = (text: string) =>
    sendFromHome(home, text, {
      isCurrent: (h) => view.current.threadId === null && view.current.home === h,
      open: (id) => {
        void qc.invalidateQueries({ queryKey: ["threads"] });
        select(id);
      },
      onError: setStartError,
    });
  const [help, setHelp] = useState(false);
  const run = useRef<(a: ShortcutAction) => void>(() => {});
  run.current = (action) => {
    if (action === "new") {
      newThread();
      requestAnimationFrame(focusComposer);
    } else if (action === "focus") focusComposer();
    else if (action === "stop") document.querySelector<HTMLButtonElement>('[data-testid="stop-run"]')?.click();
    else if (action === "help") setHelp(true);
    else {
      if (narrow) setDrawer(true);
      // after the drawer has opened (and put its own focus on its first button)
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>('input[aria-label="Search threads"]')?.focus());
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      run.current(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const sidebar = <Sidebar activeId={threadId} onSelect={select} onNew={newThread} />;
  return (
    <div className="flex h-dvh overflow-hidden">
      {!narrow && sidebar}
      {narrow && drawer && (
        <>
          <div className="fixed inset-0 z-40 bg-black/40" onClick={() => setDrawer(false)} data-testid="drawer-backdrop" aria-hidden="true" />
          <div ref={drawerRef} className="fixed inset-y-0 left-0 z-50 flex w-[85vw] max-w-80 bg-slate-50 shadow-xl dark:bg-slate-950" role="dialog" aria-modal="true" aria-label="Threads" data-testid="drawer">
            {sidebar}
          </div>
        </>
      )}
      <ThreadView
        key={threadId ?? `home-${home}`}
        threadId={threadId}
        tab={tab}
        onTab={setTab}
        narrow={narrow}
        onMenu={() => setDrawer(true)}
        onStartThread={startThread}
        startError={startError}
        onOpenThread={select}
      />
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
