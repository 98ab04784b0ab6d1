import { useState } from "react";
import { Markdown } from "./Markdown";

const button =
  "rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-40 max-wide:min-h-11 dark:border-slate-700 dark:hover:bg-slate-800";

/**
 * Issue 15: the report writer's draft, waiting for the user. Approve stores it as a Markdown and an HTML
 * artifact; Edit replaces it with the text typed here (shown again for approval); Reject drops it.
 */
export function ApprovalCard({
  draft,
  busy = false,
  onDecide,
}: {
  draft: string;
  busy?: boolean;
  onDecide: (decision: "approve" | "edit" | "reject", text?: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(draft);
  return (
    <section
      aria-label="Report draft waiting for approval"
      className="mx-auto my-2 w-full max-w-3xl rounded-lg border border-amber-300 bg-amber-50/60 p-3 dark:border-amber-700 dark:bg-amber-950/30"
      data-testid="approval-card"
    >
      <h2 className="mb-2 text-sm font-semibold">Report draft: approve, edit or reject</h2>
      {editing ? (
        <textarea
          aria-label="Report text (Markdown)"
          autoFocus
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={Math.min(20, text.split("\n").length + 2)}
          className="w-full rounded-lg border border-slate-300 bg-white p-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
        />
      ) : (
        <div className="max-h-[50vh] overflow-y-auto rounded bg-white p-3 dark:bg-slate-950" data-testid="approval-draft">
          <Markdown text={draft} />
        </div>
      )}
      <div className="mt-2 flex flex-wrap justify-end gap-2">
        {editing ? (
          <>
            <button type="button" className={button} disabled={busy} onClick={() => { setEditing(false); setText(draft); }}>
              Cancel
            </button>
            <button type="button" className={`${button} !bg-sky-700 !text-white`} disabled={busy || !text.trim()} onClick={() => onDecide("edit", text)}>
              Save edit
            </button>
          </>
        ) : (
          <>
            <button type="button" className={button} disabled={busy} onClick={() => onDecide("reject")}>
              Reject
            </button>
            <button type="button" className={button} disabled={busy} onClick={() => { setText(draft); setEditing(true); }}>
              Edit
            </button>
            <button type="button" className={`${button} !bg-emerald-700 !text-white`} disabled={busy} onClick={() => onDecide("approve")}>
              Approve
            </button>
          </>
        )}
      </div>
    </section>
  );
}
