import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Artifact, Message } from "../api/types";
import { buildRows, type Row } from "../lib/history";
import { latestPlan } from "../lib/plan";
import { onOpenCell } from "../lib/receipts";
import type { RunState, Segment } from "../lib/run";
import { pickVersions, type VersionInfo } from "../lib/versions";
import { ArtifactView } from "./Artifact";
import { Plan } from "./Plan";
import { CopyButton } from "./CopyButton";
import { Markdown } from "./Markdown";
import { ReviewBadge } from "./ReviewBadge";
import { StepsGroup } from "./Steps";
import type { ToolCardData } from "./ToolCard";

type AssistantRow = Extract<Row, { kind: "assistant" }>;
// a turn: the assistant rows between two questions, shown as one answer (its steps folded); id: the last one's
type DisplayRow = Extract<Row, { kind: "user" }> | { kind: "turn"; id: string; parts: AssistantRow[] } | { kind: "live"; id: string; run: RunState };

/** Consecutive assistant rows as one turn. */
export function turns(rows: Row[]): DisplayRow[] {
  const out: DisplayRow[] = [];
  for (const r of rows) {
    const prev = out[out.length - 1];
    if (r.kind === "user") out.push(r);
    else if (prev?.kind === "turn") out[out.length - 1] = { kind: "turn", id: r.id, parts: [...prev.parts, r] };
    else out.push({ kind: "turn", id: r.id, parts: [r] });
  }
  return out;
}

type Piece = { kind: "text"; row: AssistantRow } | { kind: "steps"; tools: { tool: ToolCardData; forkId?: string }[] };

/** A turn in the order it was written: each message's text, then its calls; consecutive calls as one group. */
function pieces(parts: AssistantRow[]): Piece[] {
  const out: Piece[] = [];
  for (const part of parts) {
    if (part.text) out.push({ kind: "text", row: part });
    for (const tool of part.tools) {
      const last = out[out.length - 1];
      if (last?.kind === "steps") last.tools.push({ tool, forkId: part.forkId });
      else out.push({ kind: "steps", tools: [{ tool, forkId: part.forkId }] });
    }
  }
  return out;
}

/** Live segments the same way: text as written, consecutive tool calls as one group. */
function liveGroups(segments: Segment[]): ({ kind: "text"; text: string } | { kind: "steps"; tools: ToolCardData[] })[] {
  const out: ({ kind: "text"; text: string } | { kind: "steps"; tools: ToolCardData[] })[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (s.kind === "text") out.push({ kind: "text", text: s.text });
    else if (last?.kind === "steps") last.tools.push(s.tool);
    else out.push({ kind: "steps", tools: [s.tool] });
  }
  return out;
}

/** What a row may offer: its version switcher, and edit / regenerate on the last exchange (issue 19). */
type RowExtras = {
  version?: VersionInfo;
  onVersion: (slot: string, index: number) => void;
  canEdit: boolean;
  canRegenerate: boolean;
  onEdit?: (messageId: string, text: string) => void;
  onRegenerate?: (messageId: string) => void;
  /** Issue 20: "Fork from here" (none while a run is going). */
  onFork?: (messageId: string) => void;
};

/** The conversation, virtualized so a 500+ message thread renders only what is on screen. */
export function MessageList({
  messages,
  run,
  onOpenArtifact,
  onFork,
  onEdit,
  onRegenerate,
}: {
  messages: Message[];
  run: RunState;
  onOpenArtifact: (a: Artifact) => void;
  /** Issue 20: "Fork from here" under each stored message (a new thread up to and including it). */
  onFork?: (messageId: string) => void;
  onEdit?: (messageId: string, text: string) => void;
  onRegenerate?: (messageId: string) => void;
}) {
  const [chosen, setChosen] = useState<Record<string, number>>({});
  useEffect(() => {
    if (run.running) setChosen({}); // a new version is on its way: show the newest again
  }, [run.running]);
  const { shown: picked, versions } = useMemo(() => pickVersions(messages, chosen), [messages, chosen]);
  const rows = useMemo<DisplayRow[]>(() => {
    // while a run is shown live, its already-stored replies would appear twice (after a re-attach)
    const live = run.runId && run.segments.length > 0;
    const shown = live ? picked.filter((m) => m.role === "user" || m.run_id !== run.runId) : picked;
    const out: DisplayRow[] = turns(buildRows(shown));
    if (run.pendingUser) out.push({ kind: "user", id: "pending-user", text: run.pendingUser });
    if (run.segments.length > 0 || run.running) out.push({ kind: "live", id: "live", run });
    return out;
  }, [picked, run]);
  const last = useMemo(() => lastExchange(rows, picked, versions), [rows, picked, versions]);
  const extras = (row: DisplayRow): RowExtras => ({
    version: versions.get(row.id),
    onVersion: (slot, index) => setChosen((c) => ({ ...c, [slot]: index })),
    canEdit: row.id === last.user,
    canRegenerate: row.id === last.answer,
    onEdit,
    onRegenerate,
    onFork: run.running ? undefined : onFork,
  });

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

  // a receipt naming a cell whose row is off screen (virtualized away): bring the row in, the card opens itself
  useEffect(
    () =>
      onOpenCell((id) => {
        const at = rows.findIndex((r) => r.kind === "turn" && r.parts.some((p) => p.tools.some((t) => t.executionId === id)));
        if (at >= 0 && !virtualizer.getVirtualItems().some((v) => v.index === at)) virtualizer.scrollToIndex(at, { align: "start" });
      }),
    [rows, virtualizer],
  );

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
                <RowView row={rows[item.index]} onOpenArtifact={onOpenArtifact} extras={extras(rows[item.index])} />
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

/** The ids of the last question and its last answer, when they can be redone (nothing running, newest version). */
function lastExchange(rows: DisplayRow[], picked: Message[], versions: Map<string, VersionInfo>): { user?: string; answer?: string } {
  if (rows.some((r) => r.kind === "live" || r.id === "pending-user")) return {};
  const at = rows.map((r) => r.kind).lastIndexOf("user");
  if (at < 0) return {};
  const v = versions.get(rows[at].id);
  if (v && v.index !== v.count - 1) return {};
  const end = rows[rows.length - 1];
  const isAnswer = rows.length - 1 > at && picked.some((m) => m.id === end.id && m.role === "assistant");
  return { user: rows[at].id, answer: isAnswer ? end.id : undefined };
}

function RowView({ row, onOpenArtifact, extras }: { row: DisplayRow; onOpenArtifact: (a: Artifact) => void; extras: RowExtras }) {
  const [editing, setEditing] = useState(false);
  if (row.kind === "user") {
    if (editing && extras.onEdit) {
      return <EditBox text={row.text} onCancel={() => setEditing(false)} onSend={(text) => { setEditing(false); extras.onEdit?.(row.id, text); }} />;
    }
    return (
      <div className="group/msg flex flex-col items-end" data-testid="message-user">
        <div className="max-w-[85%] whitespace-pre-wrap rounded-2xl rounded-br-sm bg-sky-700 px-4 py-2 text-white">{row.text}</div>
        <MessageActions text={row.text}>
          {extras.version && <VersionSwitch version={extras.version} onVersion={extras.onVersion} />}
          {extras.canEdit && extras.onEdit && <ActionButton label="Edit" onClick={() => setEditing(true)} />}
          {extras.onFork && row.id !== "pending-user" && <ForkButton onClick={() => extras.onFork?.(row.id)} />}
        </MessageActions>
      </div>
    );
  }
  if (row.kind === "turn") {
    const texts = row.parts.map((p) => p.text).filter(Boolean).join("\n\n");
    const end = row.parts[row.parts.length - 1];
    const parts = pieces(row.parts);
    const plan = latestPlan(parts.flatMap((p) => (p.kind === "text" ? [] : p.tools.map((t) => t.tool))));
    return (
      <div className="group/msg" data-testid="message-assistant">
        {plan && <Plan steps={plan} />}
        {parts.map((p, i) =>
          p.kind === "text" ? (
            <div key={p.row.id}>
              <Markdown text={p.row.text} receipts={p.row.receipts} unverified={p.row.unverified} />
              <ReviewBadge review={p.row.review} />
              {p.row.artifacts?.map((a) => <ArtifactView key={a.id} artifact={a} onOpen={onOpenArtifact} />)}
            </div>
          ) : (
            <StepsGroup
              key={`steps-${i}-${p.tools[0].tool.id}`}
              tools={p.tools.map((t) => t.tool)}
              onOpenArtifact={onOpenArtifact}
              after={(tool) => {
                const forkId = p.tools.find((t) => t.tool.id === tool.id)?.forkId;
                return extras.onFork && forkId ? <ForkButton onClick={() => extras.onFork?.(forkId)} /> : null;
              }}
            />
          ),
        )}
        {(texts || extras.canRegenerate || extras.onFork) && (
          <MessageActions text={texts}>
            {extras.canRegenerate && extras.onRegenerate && <ActionButton label="Regenerate" onClick={() => extras.onRegenerate?.(row.id)} />}
            {extras.onFork && <ForkButton onClick={() => extras.onFork?.(end.forkId ?? end.id)} />}
          </MessageActions>
        )}
      </div>
    );
  }
  const { run } = row;
  const groups = liveGroups(run.segments);
  const plan = latestPlan(groups.flatMap((g) => (g.kind === "text" ? [] : g.tools)));
  return (
    <div className="group/msg" data-testid="message-live">
      {plan && <Plan steps={plan} />}
      {groups.map((g, i) =>
        g.kind === "text" ? (
          <Markdown key={i} text={g.text} />
        ) : (
          <StepsGroup key={`steps-${g.tools[0].id}`} tools={g.tools} onOpenArtifact={onOpenArtifact} defaultOpen={run.running} />
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

/** Under a message: copy its text (Markdown as written), and what else the row offers. */
function MessageActions({ text, children }: { text: string; children?: ReactNode }) {
  return (
    <div className="mt-1 flex items-center gap-1">
      {text && <CopyButton text={() => text} label="Copy text" />}
      {children}
    </div>
  );
}

const actionClass =
  "rounded border border-slate-300 bg-white/90 px-1.5 py-0.5 text-[11px] text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-40 max-wide:min-h-11 max-wide:min-w-11 dark:border-slate-700 dark:bg-slate-900/90 dark:text-slate-300 dark:hover:bg-slate-800";

/** Issue 20: a new thread with the conversation up to this message, its files and variables. */
function ForkButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} title="A new thread with the conversation up to here, its files and variables" className={actionClass}>
      Fork from here
    </button>
  );
}

function ActionButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" onClick={onClick} className={actionClass}>
      {label}
    </button>
  );
}

/** "‹ 2/3 ›": the earlier versions of an edited or regenerated exchange. */
function VersionSwitch({ version, onVersion }: { version: VersionInfo; onVersion: (slot: string, index: number) => void }) {
  const { slot, index, count } = version;
  return (
    <span className="flex items-center gap-0.5 text-[11px] text-slate-600 dark:text-slate-400" data-testid="version-switch">
      <button type="button" aria-label="Previous version" disabled={index === 0} onClick={() => onVersion(slot, index - 1)} className={actionClass}>
        ‹
      </button>
      <span aria-label={`version ${index + 1} of ${count}`}>
        {index + 1}/{count}
      </span>
      <button type="button" aria-label="Next version" disabled={index === count - 1} onClick={() => onVersion(slot, index + 1)} className={actionClass}>
        ›
      </button>
    </span>
  );
}

function EditBox({ text, onSend, onCancel }: { text: string; onSend: (text: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(text);
  return (
    <form
      className="ml-auto flex max-w-[85%] flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onSend(value);
      }}
    >
      <textarea
        aria-label="Edit your message"
        autoFocus
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === "Escape" && onCancel()}
        rows={Math.min(8, value.split("\n").length + 1)}
        className="w-full rounded-lg border border-slate-300 bg-white p-2 text-sm dark:border-slate-700 dark:bg-slate-900"
      />
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onCancel} className={actionClass}>
          Cancel
        </button>
        <button type="submit" disabled={!value.trim()} className={`${actionClass} !bg-sky-700 !text-white`}>
          Save &amp; send
        </button>
      </div>
    </form>
  );
}
