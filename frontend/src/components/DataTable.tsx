import { toCsv } from "../lib/copy";
import { CopyButton } from "./CopyButton";

/** A compact scrollable table for previews (datasets, CSV artifacts). */
export function DataTable({ columns, rows, caption }: { columns: string[]; rows: unknown[][]; caption?: string }) {
  return (
    <div>
      {/* focusable, so the keyboard can scroll it (axe: scrollable-region-focusable) */}
      <div tabIndex={0} role="region" aria-label={caption ?? "Table preview"} className="max-h-80 overflow-auto rounded-md border border-slate-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-800">
        <table className="min-w-full text-left text-xs" data-testid="data-table">
          {caption && <caption className="px-2 py-1 text-left text-slate-600 dark:text-slate-400">{caption}</caption>}
          <thead className="sticky top-0 bg-slate-100 dark:bg-slate-900">
            <tr>
              {columns.map((c, i) => (
                <th key={`${i}-${c}`} className="whitespace-nowrap px-2 py-1 font-semibold">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} className="odd:bg-white even:bg-slate-50 dark:odd:bg-slate-950 dark:even:bg-slate-900/60">
                {r.map((v, j) => (
                  <td key={j} className="max-w-xs truncate whitespace-nowrap px-2 py-1" title={fmt(v)}>
                    {fmt(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CopyButton text={() => toCsv(columns, rows)} label="Copy as CSV" className="mt-1" />
    </div>
  );
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
