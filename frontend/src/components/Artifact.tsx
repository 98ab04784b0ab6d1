import { useContext, useEffect, useState } from "react";
import type { Artifact, ExecutionResult } from "../api/types";
import { api } from "../api/client";
import { ReadOnly } from "../lib/readonly";
import { DataTable } from "./DataTable";
import { ExecutionOutputs } from "./Outputs";
import { Provenance } from "./Provenance";

export function kindOf(a: Pick<Artifact, "mime" | "filename">): "image" | "html" | "csv" | "parquet" | "other" {
  const name = a.filename.toLowerCase();
  if (a.mime.startsWith("image/")) return "image";
  if (a.mime === "text/html" || name.endsWith(".html") || name.endsWith(".htm")) return "html";
  if (a.mime === "text/csv" || name.endsWith(".csv")) return "csv";
  if (name.endsWith(".parquet") || a.mime.includes("parquet")) return "parquet";
  return "other";
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

export function DownloadLink({ artifact }: { artifact: Artifact }) {
  return (
    <a
      href={artifact.url}
      download={artifact.filename}
      className="inline-flex items-center gap-1 rounded border border-slate-300 px-2 py-0.5 text-xs max-wide:min-h-11 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      data-testid="artifact-download"
    >
      ⤓ Download
    </a>
  );
}

/**
 * One artifact, shown by kind. HTML runs in an iframe sandboxed WITHOUT allow-same-origin: its scripts
 * get an opaque origin and cannot read the app's cookies, storage or DOM even though the URL is ours.
 */
export function ArtifactView({
  artifact,
  onOpen,
  large = false,
}: {
  artifact: Artifact;
  onOpen?: (a: Artifact) => void;
  large?: boolean;
}) {
  const kind = kindOf(artifact);
  return (
    <figure className="my-2 rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-950" data-testid="artifact">
      <figcaption className="mb-1 flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
        <span className="truncate font-medium text-slate-700 dark:text-slate-300">{artifact.filename}</span>
        <span>{formatBytes(artifact.size)}</span>
        <span className="ml-auto flex gap-1">
          {onOpen && (
            <button
              type="button"
              onClick={() => onOpen(artifact)}
              className="rounded border border-slate-300 px-2 py-0.5 max-wide:min-h-11 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Fullscreen
            </button>
          )}
          <DownloadLink artifact={artifact} />
        </span>
      </figcaption>
      {kind === "image" && (
        <img
          src={artifact.url}
          alt={artifact.filename}
          loading="lazy"
          className={`${large ? "max-h-[80vh]" : "max-h-96"} mx-auto cursor-zoom-in rounded bg-white`}
          onClick={() => onOpen?.(artifact)}
        />
      )}
      {kind === "html" && (
        <iframe
          title={artifact.filename}
          src={artifact.url}
          sandbox="allow-scripts allow-popups"
          referrerPolicy="no-referrer"
          className={`w-full rounded border-0 bg-white ${large ? "h-[80vh]" : "h-96"}`}
        />
      )}
      {kind === "csv" && <CsvPreview url={artifact.url} />}
      {kind === "parquet" && <ParquetPreview artifact={artifact} />}
    </figure>
  );
}

function CsvPreview({ url }: { url: string }) {
  const [data, setData] = useState<{ columns: string[]; rows: unknown[][]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all([fetch(url).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`)))), import("papaparse")])
      .then(([text, Papa]) => {
        const parsed = Papa.default.parse<string[]>(text.slice(0, 2_000_000), { skipEmptyLines: true });
        const [head = [], ...body] = parsed.data;
        if (live) setData({ columns: head, rows: body.slice(0, 100), total: body.length });
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [url]);
  if (error) return <p className="text-xs text-red-600 dark:text-red-400">Could not preview: {error}</p>;
  if (!data) return <p className="text-xs text-slate-600 dark:text-slate-400">Loading preview…</p>;
  return (
    <DataTable
      columns={data.columns}
      rows={data.rows}
      caption={data.total > data.rows.length ? `first ${data.rows.length} of ${data.total} rows` : `${data.total} rows`}
    />
  );
}

/** A fullscreen overlay for one artifact; Escape closes it. */
export function Lightbox({ artifact, onClose }: { artifact: Artifact | null; onClose: () => void }) {
  useEffect(() => {
    if (!artifact) return;
    // first (capture) and only: Escape closes the lightbox, not the panel sheet under it (at 390 px the
    // sheet's handler ran first, re-rendered, and this one was never called)
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      onClose();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [artifact, onClose]);
  if (!artifact) return null;
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-label={artifact.filename}
      className="fixed inset-0 z-50 flex flex-col bg-black/80"
      onClick={onClose}
      data-testid="lightbox"
    >
      {/* the close button has a bar of its own: it never covers the artifact's name and links */}
      <div className="flex shrink-0 justify-end px-4 py-2" data-testid="lightbox-bar">
        <button type="button" autoFocus onClick={onClose} className="rounded bg-white/90 px-3 py-1 text-sm text-slate-900 max-wide:min-h-11">
          ✕ Close
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-auto px-4 pb-4 wide:px-6">
        <div className="mx-auto w-full max-w-6xl" onClick={(e) => e.stopPropagation()}>
          <ArtifactView artifact={artifact} large />
          <Provenance artifact={artifact} />
        </div>
      </div>
    </div>
  );
}

/**
 * Parquet cannot be read in the browser without a heavy decoder, so the preview runs a cell in the
 * thread's sandbox (it shows up in the Notebook) that reads the workspace copy under artifacts/.
 */
function ParquetPreview({ artifact }: { artifact: Artifact }) {
  const [result, setResult] = useState<ExecutionResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const readOnly = useContext(ReadOnly);
  if (readOnly) return <p className="text-xs text-slate-600 dark:text-slate-400">A Parquet file: download it to read it.</p>;
  const preview = () => {
    setBusy(true);
    setError(null);
    const code = `import pandas as pd\npd.read_parquet(${JSON.stringify(`artifacts/${artifact.filename}`)}).head(50)`;
    api<ExecutionResult>(`/api/threads/${artifact.thread_id}/execute`, { method: "POST", json: { code } })
      .then(setResult)
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  if (result) return <ExecutionOutputs result={result} />;
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
      <button
        type="button"
        onClick={preview}
        disabled={busy}
        className="rounded border border-slate-300 px-2 py-0.5 max-wide:min-h-11 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        {busy ? "Reading…" : "Preview the first rows"}
      </button>
      <span>runs a cell in this thread’s sandbox (it appears in the Notebook); or download the file.</span>
      {error && <span className="text-red-600 dark:text-red-400">{error}</span>}
    </div>
  );
}
