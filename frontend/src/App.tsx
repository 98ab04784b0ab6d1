import { useCallback, useEffect, useState } from "react";
import { Sidebar } from "./components/Sidebar";
import { ThreadView, type Tab } from "./components/ThreadView";

/** The open thread lives in the URL (/t/<id>), so a reload comes back to it. */
function threadFromPath(): string | null {
  const m = /^\/t\/([0-9a-f-]{36})/i.exec(window.location.pathname);
  return m ? m[1] : null;
}

export function App() {
  const [threadId, setThreadId] = useState<string | null>(threadFromPath);
  const [tab, setTab] = useState<Tab>("chat");
  useEffect(() => {
    const onPop = () => setThreadId(threadFromPath());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const select = useCallback((id: string | null) => {
    setThreadId(id);
    setTab((t) => (t === "datasets" && id ? t : "chat"));
    window.history.pushState(null, "", id ? `/t/${id}` : "/");
  }, []);
  return (
    <div className="flex h-screen overflow-hidden">
      <Sidebar activeId={threadId} onSelect={select} />
      <ThreadView key={threadId ?? "none"} threadId={threadId} tab={tab} onTab={setTab} />
    </div>
  );
}
