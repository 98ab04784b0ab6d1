import { useEffect, useState, type ReactNode } from "react";
import type { Artifact } from "../api/types";
import { isPlanCall } from "../lib/plan";
import { onOpenCell } from "../lib/receipts";
import { ArtifactView } from "./Artifact";
import { type ToolCardData, ToolCard } from "./ToolCard";

/**
 * Answer first (issue 15): consecutive tool calls as one collapsed "n steps" line that expands to their cards.
 * A receipt naming one of its cells expands it (the card then opens itself).
 */
export function StepsGroup({
  tools: all,
  onOpenArtifact,
  after,
  defaultOpen = false,
}: {
  tools: ToolCardData[];
  /** Open at first: the steps of a run still going are shown as they happen. */
  defaultOpen?: boolean;
  onOpenArtifact?: (a: Artifact) => void;
  /** What to show under one card when expanded (e.g. its "Fork from here"). */
  after?: (tool: ToolCardData) => ReactNode;
}) {
  const [open, setOpen] = useState(defaultOpen);
  useEffect(() => onOpenCell((id) => all.some((t) => t.executionId === id) && setOpen(true)), [all]);
  const tools = all.filter((t) => !isPlanCall(t)); // the plan is shown above the steps, not as one
  if (tools.length === 0) return null;
  const running = tools.find((t) => !t.done);
  const failed = tools.filter((t) => t.done && t.ok === false).length;
  const pictures = tools.reduce((n, t) => n + t.artifacts.length, 0);
  const label = `${tools.length} ${tools.length === 1 ? "step" : "steps"}`;
  return (
    <div className="my-2" data-testid="steps">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 max-wide:min-h-11 dark:text-slate-400 dark:hover:bg-slate-800"
      >
        <span className="text-slate-400">{open ? "▾" : "▸"}</span>
        <span className="font-medium">{label}</span>
        {running && (
          <span className="inline-flex items-center gap-1 text-amber-700 dark:text-amber-300">
            <span className="h-2 w-2 animate-pulse rounded-full bg-amber-500" /> running
          </span>
        )}
        {failed > 0 && <span className="text-red-700 dark:text-red-300">{failed} failed</span>}
      </button>
      {open ? (
        tools.map((t) => (
          <div key={t.id}>
            <ToolCard tool={t} onOpenArtifact={onOpenArtifact} />
            {after?.(t)}
          </div>
        ))
      ) : pictures > 0 ? (
        // the pictures and files the steps made stay in sight when the steps are folded
        <div className="flex flex-col">
          {tools.flatMap((t) => t.artifacts.map((a) => <ArtifactView key={a.id} artifact={a} onOpen={onOpenArtifact} />))}
        </div>
      ) : null}
    </div>
  );
}
