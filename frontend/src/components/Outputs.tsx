import type { Artifact, ExecutionResult, RichOutput as Output } from "../api/types";
import { ArtifactView } from "./Artifact";
import { DataTable } from "./DataTable";
import { Markdown } from "./Markdown";

/** The outputs of one execution: streams, rich outputs (images, HTML tables), error, artifacts. */
export function ExecutionOutputs({ result, onOpenArtifact }: { result: ExecutionResult; onOpenArtifact?: (a: Artifact) => void }) {
  const tb = result.error?.traceback;
  // a figure the code drew comes both inline and as a stored artifact: show the downloadable one
  const artifactSizes = new Set((result.artifacts ?? []).filter((a) => a.mime.startsWith("image/")).map((a) => a.size));
  const duplicate = (o: { mime: string; data: string }) =>
    o.mime.startsWith("image/") && o.mime !== "image/svg+xml" && artifactSizes.has(base64Size(o.data));
  return (
    <div className="space-y-2 text-sm">
      {result.stdout && <CappedPre testId="cell-stdout">{result.stdout}</CappedPre>}
      {result.stderr && <CappedPre className="text-amber-700 dark:text-amber-300">{result.stderr}</CappedPre>}
      {shownOutputs(result.outputs ?? []).map((o, i) =>
        duplicate(o) ? null : <RichOutput key={i} mime={o.mime} data={o.data} />,
      )}
      {result.error && <CellError name={result.error.name} value={result.error.value} traceback={tb} />}
      {(result.artifacts ?? []).map((a) => (
        <ArtifactView key={a.id} artifact={a} onOpen={onOpenArtifact} />
      ))}
      {(result.notes ?? []).map((n, i) => (
        <p key={i} className="text-xs text-slate-600 dark:text-slate-400">{n}</p>
      ))}
    </div>
  );
}

/** Long text capped to a scrollable box, as the chat's tool output is (ToolCard uses it too). */
export function CappedPre({ children, className = "", testId }: { children: string; className?: string; testId?: string }) {
  return (
    <pre className={`max-h-64 overflow-auto whitespace-pre-wrap rounded bg-white p-2 text-xs dark:bg-slate-950 ${className}`} data-testid={testId} tabIndex={0}>
      {children}
    </pre>
  );
}

// colour codes a traceback may carry (IPython's): shown as text they are noise
const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;]*[A-Za-z]", "g");

/** An error: its one-line summary first (`ZeroDivisionError: division by zero`), the traceback folded. */
export function CellError({ name, value, traceback }: { name: string; value: string; traceback?: string | string[] | null }) {
  const tb = (Array.isArray(traceback) ? traceback.join("\n") : (traceback ?? "")).replace(ANSI, "").trim();
  const summary = value ? `${name}: ${value}` : name;
  return (
    <div className="rounded bg-red-50 p-2 text-xs text-red-900 dark:bg-red-950/40 dark:text-red-200" data-testid="cell-error">
      <p className="whitespace-pre-wrap font-mono font-semibold" data-testid="cell-error-summary">{summary}</p>
      {tb && tb !== summary && (
        <details className="mt-1">
          <summary className="cursor-pointer select-none">Traceback</summary>
          <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap" tabIndex={0}>{tb}</pre>
        </details>
      )}
    </div>
  );
}

/** The MIME types this app draws, richest first (a notebook's order); JSON and LaTeX are shown as text. */
export const SHOWN_MIMES = [
  "text/html",
  "text/markdown",
  "image/svg+xml",
  "image/png",
  "image/jpeg",
  "image/gif",
  "application/pdf",
  "text/latex",
  "application/json",
  "text/plain",
];

/** One output per bundle (a value sent in several MIME types): the first of SHOWN_MIMES it has, in order. */
export function shownOutputs(outputs: Output[]): Output[] {
  const bundles = new Map<number, Output[]>();
  for (const o of outputs) bundles.set(o.bundle ?? 0, [...(bundles.get(o.bundle ?? 0) ?? []), o]);
  const shown: Output[] = [];
  for (const items of bundles.values()) {
    const rank = (o: Output) => (SHOWN_MIMES.includes(o.mime) ? SHOWN_MIMES.indexOf(o.mime) : SHOWN_MIMES.length);
    const best = [...items].sort((a, b) => rank(a) - rank(b))[0];
    if (best && rank(best) < SHOWN_MIMES.length) shown.push(best);
  }
  return shown;
}

function RichOutput({ mime, data }: { mime: string; data: string }) {
  if (mime === "application/pdf") {
    return (
      <a href={`data:application/pdf;base64,${data}`} download="output.pdf" className="text-xs text-sky-700 underline dark:text-sky-400">
        Download the PDF output
      </a>
    );
  }
  if (mime.startsWith("image/")) {
    const src = mime === "image/svg+xml" ? `data:${mime};charset=utf-8,${encodeURIComponent(data)}` : `data:${mime};base64,${data}`;
    return <img src={src} alt="output" className="max-h-96 rounded bg-white" />;
  }
  if (mime === "text/html") {
    const table = htmlTable(data);
    if (table) return <DataTable columns={table.columns} rows={table.rows} />;
    // No scripts, opaque origin: a DataFrame's HTML table is shown, nothing in it can run.
    return (
      <iframe
        title="output"
        sandbox=""
        srcDoc={`<style>body{font:12px system-ui;margin:0}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px}</style>${data}`}
        className="h-64 w-full rounded border border-slate-200 bg-white dark:border-slate-800"
      />
    );
  }
  if (mime === "text/markdown") return <Markdown text={data} />;
  if (mime === "application/json") return <pre className="whitespace-pre-wrap text-xs" data-testid="cell-json">{prettyJson(data)}</pre>;
  return <pre className="whitespace-pre-wrap text-xs" data-testid="cell-text">{data}</pre>;
}

/** JSON indented for reading; text that does not parse is shown as it is. */
export function prettyJson(data: string): string {
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return data;
  }
}

/** The number of bytes a base64 string decodes to. */
export function base64Size(b64: string): number {
  const clean = b64.replace(/\s/g, "");
  const pad = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
  return (clean.length * 3) / 4 - pad;
}

/**
 * A DataFrame's HTML (one <table>, nothing else) as columns and rows of text, so it is drawn like every
 * other table of the app. DOMParser runs no scripts and only text is kept; anything else stays in the iframe.
 */
export function htmlTable(html: string): { columns: string[]; rows: string[][] } | null {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const tables = doc.querySelectorAll("table");
  if (tables.length !== 1 || doc.querySelector("script, iframe, img, svg, canvas")) return null;
  const table = tables[0];
  const headRows = [...table.querySelectorAll("thead tr")];
  const header = headRows[0] ? [...headRows[0].children].map((c) => c.textContent?.trim() ?? "") : [];
  const body = [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? ""));
  if (!header.length || !body.length) return null;
  return { columns: header, rows: body };
}
