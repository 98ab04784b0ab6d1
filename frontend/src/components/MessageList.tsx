import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef } from "react";
import type { Artifact, Message } from "../api/types";
import { buildRows, type Row } from "../lib/history";
import type { RunState } from "../lib/run";
import { Markdown } from "./Markdown";
import { ToolCard } from "./ToolCard";

type DisplayRow = Row | { kind: "live"; id: string; run: RunState };

/** The conversation, virtualized so a 500+ message thread renders only what is on screen. */
export function MessageList({
  messages,
  run,
  onOpenArtifact,
}: {
  messages: Message[];
  run: RunState;
  onOpenArtifact: (a: Artifact) => void;
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
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (i) => rows[i].id,
  });

  // Follow the end of the conversation while the user is at the bottom.
  useLayoutEffect(() => {
    if (atBottom.current && rows.length > 0) virtualizer.scrollToIndex(rows.length - 1, { align: "end" });
  }, [rows, virtualizer]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, []);

  return (
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
              <RowView row={rows[item.index]} onOpenArtifact={onOpenArtifact} />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

function RowView({ row, onOpenArtifact }: { row: DisplayRow; onOpenArtifact: (a: Artifact) => void }) {
  if (row.kind === "user") {
    return (
      <div className="flex justify-end" data-testid="message-user">
        <div className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-sky-600 px-4 py-2 text-white">{row.text}</div>
      </div>
    );
  }
  if (row.kind === "assistant") {
    return (
      <div data-testid="message-assistant">
        {row.tools.map((t) => (
          <ToolCard key={t.id} tool={t} onOpenArtifact={onOpenArtifact} />
        ))}
        {row.text && <Markdown text={row.text} />}
      </div>
    );
  }
  const { run } = row;
  return (
    <div data-testid="message-live">
      {run.segments.map((s, i) =>
        s.kind === "text" ? (
          <Markdown key={i} text={s.text} />
        ) : (
          <ToolCard key={s.tool.id} tool={s.tool} onOpenArtifact={onOpenArtifact} />
        ),
      )}
      {run.running && (
        <div className="flex items-center gap-2 py-1 text-sm text-slate-500" data-testid="thinking">
          <span className="h-2 w-2 animate-pulse rounded-full bg-sky-500" /> working…
        </div>
      )}
    </div>
  );
}
