import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Artifact, Message } from "../api/types";
import { buildRows, type Row } from "../lib/history";
import type { RunState } from "../lib/run";
import { CopyButton } from "./CopyButton";
import { Markdown } from "./Markdown";
import { ToolCard } from "./ToolCard";

type DisplayRow = Row | { kind: "live"; id: string; run: RunState };

/** The conversation, virtualized so a 500+ message thread renders only what is on screen. */
export function MessageList({
  messages,
  run,
  onOpenArtifact,
  onFork,
}: {
  messages: Message[];
  run: RunState;
  onOpenArtifact: (a: Artifact) => void;
  /** Issue 20: "Fork from here" under each stored message (a new thread up to and including it). */
  onFork?: (messageId: string) => void;
}) {
  const rows = useMemo<DisplayRow[]>(() => {
    // while a run is shown live, its already-stored replies would appear twice (after a re-attach)
    const live = run.runId && run.segments.length > 0;
    const shown = live ? messages.filter((m) => m.role === "user" || m.run_id !== run.runId) : messages;
    const out: DisplayRow[] = buildRows(shown);
    if (run.pendingUser) out.push({ kind: "user", id: "pending-user", text: run.pendingUser });
    if (run.segments.length > 0 || run.running) out.push({ kind: "live", id: "live", run });
    return out;
  }, [messages, run]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [scrolledUp, setScrolledUp] = useState(false);
  const lastSent = useRef<string | null>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (i) => rows[i].id,
  });

  // Follow the end of the conversation while the user is at the bottom; sending a message goes there too.
  useLayoutEffect(() => {
    if (run.pendingUser && run.pendingUser !== lastSent.current) atBottom.current = true;
    lastSent.current = run.pendingUser;
    if (atBottom.current && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
  }, [rows, virtualizer, run.pendingUser]);

  const jumpToLatest = () => {
    atBottom.current = true;
    setScrolledUp(false);
    virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
  };

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      setScrolledUp(!atBottom.current);
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, []);

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto" data-testid="message-list">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{ position: "absolute", top: 0, left: 0, width: "100%", transform: `translateY(${item.start}px)` }}
            >
              <div className="mx-auto max-w-3xl px-4 py-2">
                <RowView row={rows[item.index]} onOpenArtifact={onOpenArtifact} onFork={run.running ? undefined : onFork} />
              </div>
            </div>
          ))}
        </div>
      </div>
      {scrolledUp && rows.length > 0 && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute bottom-3 left-1/2 z-10 -translate-x-1/2 rounded-full border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-md hover:bg-slate-100 max-wide:min-h-11 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
        >
          ↓ Jump to latest
        </button>
      )}
    </div>
  );
}

function RowView({ row, onOpenArtifact, onFork }: { row: DisplayRow; onOpenArtifact: (a: Artifact) => void; onFork?: (id: string) => void }) {
  if (row.kind === "user") {
    const fork = onFork && row.id !== "pending-user" ? () => onFork(row.id) : undefined;
    return (
      <div className="group/msg flex flex-col items-end" data-testid="message-user">
        <div className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-sky-700 px-4 py-2 text-white">{row.text}</div>
        <MessageActions text={row.text} onFork={fork} />
      </div>
    );
  }
  if (row.kind === "assistant") {
    return (
      <div className="group/msg" data-testid="message-assistant">
        {row.tools.map((t) => (
          <ToolCard key={t.id} tool={t} onOpenArtifact={onOpenArtifact} />
        ))}
        {row.text && <Markdown text={row.text} />}
        {(row.text || onFork) && <MessageActions text={row.text} onFork={onFork ? () => onFork(row.forkId ?? row.id) : undefined} />}
      </div>
    );
  }
  const { run } = row;
  return (
    <div className="group/msg" data-testid="message-live">
      {run.segments.map((s, i) =>
        s.kind === "text" ? (
          <Markdown key={i} text={s.text} />
        ) : (
          <ToolCard key={s.tool.id} tool={s.tool} onOpenArtifact={onOpenArtifact} />
        ),
      )}
      {run.running && (
        <div className="flex items-center gap-2 py-1 text-sm text-slate-600 dark:text-slate-400" data-testid="thinking">
          <span className="h-2 w-2 animate-pulse rounded-full bg-sky-500" /> working…
        </div>
      )}
      {!run.running && liveText(run) && <MessageActions text={liveText(run)} />}
    </div>
  );
}

function liveText(run: RunState): string {
  return run.segments.map((s) => (s.kind === "text" ? s.text : "")).join("").trim();
}

/** Under a message: copy its text (Markdown as written); fork the thread there. */
function MessageActions({ text, onFork }: { text: string; onFork?: () => void }) {
  return (
    <div className="mt-1 flex gap-1">
      {text && <CopyButton text={() => text} label="Copy text" />}
      {onFork && (
        <button
          type="button"
          onClick={onFork}
          title="A new thread with the conversation up to here, its files and variables"
          className="rounded border border-slate-300 bg-white/90 px-1.5 py-0.5 text-[11px] text-slate-600 hover:bg-slate-100 hover:text-slate-900 max-wide:min-h-11 dark:border-slate-700 dark:bg-slate-900/90 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          Fork from here
        </button>
      )}
    </div>
  );
}
