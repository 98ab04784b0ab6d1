import type { PlanStep } from "../lib/plan";

const MARK = { done: "✓", in_progress: "●", pending: "○" } as const;
const SAID = { done: "done", in_progress: "in progress", pending: "to do" } as const;

/** The analyst's to-do list for a multi-step question (issue 15), above its steps. */
export function Plan({ steps }: { steps: PlanStep[] }) {
  const done = steps.filter((s) => s.status === "done").length;
  return (
    <section className="my-2 rounded-lg border border-slate-200 px-3 py-2 text-sm dark:border-slate-800" data-testid="plan">
      <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">
        Plan · {done} of {steps.length} done
      </h3>
      <ol className="space-y-0.5">
        {steps.map((s, i) => (
          <li key={i} data-status={s.status} className="flex gap-2">
            <span
              aria-hidden="true"
              className={s.status === "done" ? "text-emerald-700 dark:text-emerald-400" : s.status === "in_progress" ? "text-amber-600 dark:text-amber-300" : "text-slate-400"}
            >
              {MARK[s.status]}
            </span>
            <span className={s.status === "done" ? "text-slate-600 line-through decoration-slate-400 dark:text-slate-400" : ""}>
              {s.text}
              <span className="sr-only"> ({SAID[s.status]})</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
