// Reproducing a thread (issue 20): "Re-run on today's data" in the thread header (a report of what changed,
// then the new thread) and "Fork from here" under a message (straight to the new thread).
import { useEffect, useRef, type ReactNode } from "react";
import { ApiError } from "../api/client";
import { useFork, useRerun } from "../api/hooks";
import type { RerunReport } from "../api/types";

function errorText(e: unknown): string {
  return e instanceof ApiError ? `${e.message} (${e.code})` : "The server did not answer; try again.";
}

/** The header button; while the cells run it says so, then a dialog shows what changed. */
export function RerunButton({ threadId, touch, onOpenThread }: { threadId: string; touch: string; onOpenThread: (id: string) => void }) {
  const rerun = useRerun(threadId);
  return (
    <>
      <button
        type="button"
        onClick={() => rerun.mutate()}
        disabled={rerun.isPending}
        title="Run every cell of this thread again on today's data, in a new thread, and see what changed"
        className={`whitespace-nowrap rounded-md px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-60 dark:hover:bg-slate-800 ${touch}`}
        data-testid="rerun"
        aria-label="Re-run on today's data"
      >
        {/* short on screen (the header keeps one row); the full name for assistive technology */}
        {rerun.isPending ? "Re-running…" : "Re-run"}
      </button>
      {rerun.isError && (
        <ReportDialog title="The re-run did not finish" onClose={() => rerun.reset()}>
          <p className="text-sm" data-testid="rerun-error">{errorText(rerun.error)}</p>
        </ReportDialog>
      )}
      {rerun.data && (
        <ReportDialog
          title={rerun.data.unchanged ? "Re-run: no change" : `Re-run: ${rerun.data.changes.length} of ${rerun.data.cells} cells changed`}
          onClose={() => rerun.reset()}
          action={["Open the re-run thread", () => onOpenThread(rerun.data.thread_id)]}
        >
          <RerunSummary report={rerun.data} />
        </ReportDialog>
      )}
    </>
  );
}

export function RerunSummary({ report }: { report: RerunReport }) {
  return (
    <div className="space-y-2 text-sm" data-testid="rerun-report">
      <ul className="space-y-0.5 text-slate-600 dark:text-slate-400">
        {report.datasets.map((d) => (
          <li key={d.id}>
            <code>{d.id}</code>: {d.stale ? "portal unavailable, cached copy used" : d.changed ? `new data (modified ${d.new_modified ?? "?"})` : "unchanged"}
          </li>
        ))}
      </ul>
      {report.unchanged ? (
        <p>Every cell showed the same output as before.</p>
      ) : (
        <ul className="max-h-72 space-y-2 overflow-y-auto">
          {report.changes.map((c) => (
            <li key={c.execution_id} className="rounded border border-slate-200 p-2 dark:border-slate-700" data-testid="rerun-change">
              {c.numbers.length > 0 ? (
                <p className="font-mono">{c.numbers.map((n) => `${n.old} → ${n.new}`).join(", ")}</p>
              ) : (
                <>
                  <pre className="whitespace-pre-wrap text-xs text-slate-500 line-through">{c.old.slice(0, 400)}</pre>
                  <pre className="whitespace-pre-wrap text-xs">{c.new.slice(0, 400)}</pre>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-slate-500">
        {report.cells} cells in {(report.duration_ms / 1000).toFixed(1)} s (originally {(report.original_ms / 1000).toFixed(1)} s).
      </p>
    </div>
  );
}

function ReportDialog({
  title,
  children,
  onClose,
  action,
}: {
  title: string;
  children: ReactNode;
  onClose: () => void;
  action?: [string, () => void];
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>("button")?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4" onClick={onClose}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onClick={(e) => e.stopPropagation()}
        className="w-full max-w-lg rounded-lg bg-white p-4 shadow-xl dark:bg-slate-900"
      >
        <h2 className="mb-3 text-base font-semibold">{title}</h2>
        {children}
        <div className="mt-4 flex justify-end gap-2">
          {action && (
            <button type="button" onClick={action[1]} className="min-h-11 rounded-md bg-sky-700 px-3 py-1.5 text-sm text-white hover:bg-sky-800">
              {action[0]}
            </button>
          )}
          <button type="button" onClick={onClose} className="min-h-11 rounded-md px-3 py-1.5 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

/** The fork action of a thread: `fork(messageId)` makes the new thread and opens it; `error` says why not. */
export function useForkAndOpen(threadId: string | null, onOpenThread?: (id: string) => void) {
  const fork = useFork(threadId ?? "");
  return {
    pending: fork.isPending,
    error: fork.isError ? errorText(fork.error) : null,
    reset: () => fork.reset(),
    fork: threadId && onOpenThread ? (messageId: string) => fork.mutate(messageId, { onSuccess: (r) => onOpenThread(r.thread_id) }) : undefined,
  };
}
