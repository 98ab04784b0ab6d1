import { useQuery } from "@tanstack/react-query";
import { useContext } from "react";
import { api } from "../api/client";
import type { Artifact, Provenance as ProvenanceData } from "../api/types";
import { ReadOnly } from "../lib/readonly";
import { CodeBlock } from "./CodeBlock";

/** A date as the reader's locale shows it; a version that is not a date (a store ETag) as it is. */
const when = (value: string | null | undefined) => {
  if (!value) return "";
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toLocaleString();
};

/** Issue 20: the cell that wrote an artifact and the versions of the datasets it read (shown in the lightbox). */
export function Provenance({ artifact }: { artifact: Artifact }) {
  const readOnly = useContext(ReadOnly); // a shared page has no access to the thread's cells
  const query = useQuery({
    queryKey: ["provenance", artifact.id],
    queryFn: () => api<ProvenanceData>(`/api/artifacts/${artifact.id}/provenance`),
    enabled: !readOnly,
  });
  if (readOnly) return null;
  const data = query.data;
  return (
    <section
      aria-labelledby={`provenance-${artifact.id}`}
      className="mt-3 space-y-2 rounded-lg bg-white p-3 text-sm text-slate-900 dark:bg-slate-950 dark:text-slate-100"
      data-testid="provenance"
    >
      <h2 id={`provenance-${artifact.id}`} className="font-semibold">Where this came from</h2>
      {query.isPending && <p className="text-slate-600 dark:text-slate-400">Loading…</p>}
      {query.isError && <p className="text-red-700 dark:text-red-400">Its origin could not be loaded: {query.error.message}</p>}
      {data && (data.execution ? <Cell execution={data.execution} /> : <p>No recorded cell wrote this file.</p>)}
      {data && <Datasets datasets={data.datasets} />}
    </section>
  );
}

function Cell({ execution }: { execution: NonNullable<ProvenanceData["execution"]> }) {
  const who = execution.source === "agent" ? "The analyst's" : "Your";
  const n = execution.execution_count != null ? ` In [${execution.execution_count}]` : "";
  return (
    <div data-testid="provenance-cell">
      <p>
        {who} cell{n}, {when(execution.created_at)}
        {execution.ok ? "" : " (it failed)"}:
      </p>
      <CodeBlock code={execution.code ?? ""} lang="python" className="mt-1" />
    </div>
  );
}

function Datasets({ datasets }: { datasets: ProvenanceData["datasets"] }) {
  if (datasets.length === 0) return <p>It read no dataset of the portal.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs" data-testid="provenance-datasets">
        <caption className="pb-1 text-left text-sm">The data it read, as loaded:</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th className="py-1 pr-3 font-medium">Dataset</th>
            <th className="py-1 pr-3 font-medium">Version (modified)</th>
            <th className="py-1 pr-3 font-medium">Rows</th>
            <th className="py-1 pr-3 font-medium">Licence</th>
            <th className="py-1 font-medium">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={`${d.dataset_id}-${d.loaded_at}`} className="border-b border-slate-100 dark:border-slate-900">
              <td className="py-1 pr-3 font-mono">{d.dataset_id}</td>
              <td className="py-1 pr-3">{when(d.modified) || "unknown"}</td>
              <td className="py-1 pr-3">{d.rows?.toLocaleString() ?? "?"}</td>
              <td className="py-1 pr-3">{d.license ?? "not stated"}</td>
              <td className="py-1 font-mono" title={d.sha256}>{d.sha256.slice(0, 12)}…</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
