import { useEffect, useRef, useState } from "react";
import type { Artifact } from "../api/types";
import type { ToolLink } from "../lib/links";
import { onOpenCell, takePendingCell } from "../lib/receipts";
import { ArtifactView } from "./Artifact";
import { CodeBlock } from "./CodeBlock";
import { CappedPre } from "./Outputs";

export interface ToolCardData {
  id: string;
  name: string;
  args: Record<string, unknown>;
  output: string;
  result?: string;
  ok?: boolean;
  done: boolean;
  summary?: string;
  artifacts: Artifact[];
  /** The cell (execution) a code call ran, when stored: an answer's receipts open it (issue 15). */
  executionId?: string;
  /** A link the tool made for the user (view_3d_model: the city's 3D viewer at a place, issue 16). */
  link?: ToolLink;
}

const LABELS: Record<string, string> = {
  execute_code: "Python",
  run_python: "Python",
  python: "Python",
  search_datasets: "Search datasets",
  list_catalog: "Search catalog",
  get_dataset_description: "Dataset description",
  get_dataset_fields: "Dataset fields",
  preview_dataset: "Preview dataset",
  is_geo_dataset: "Geographic?",
  get_dataset_time_info: "Time coverage",
  select_dataset: "Load dataset",
  export_dataset: "Export",
  list_datasets: "List datasets",
  get_ortofoto: "Aerial photo",
  compare_ortofoto: "Compare aerial photos",
  view_3d_model: "3D model",
};

/**
 * What to show as a finished tool's result. Code tools answer with JSON ({ok, stdout, error, ...}): the
 * output is already shown, so only an error or a short summary is worth repeating.
 */
export function resultText(tool: ToolCardData): string {
  const raw = tool.result ?? "";
  let parsed: unknown = null;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    return raw || tool.summary || "";
  }
  if (parsed === null || parsed === undefined) return tool.summary || ""; // never "RESULT null"
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const p = parsed as Record<string, unknown>;
    const err = p.error as { name?: string; value?: string } | string | null | undefined;
    if (err) return typeof err === "string" ? err : `${err.name ?? "Error"}: ${err.value ?? ""}`;
    if ("stdout" in p || "outputs" in p) {
      if (typeof p.summary === "string" && p.summary) return p.summary;
      const stdout = typeof p.stdout === "string" ? p.stdout : "";
      return stdout && !tool.output.includes(stdout.trim()) ? stdout : tool.summary || "";
    }
  }
  return JSON.stringify(parsed, null, 2) || tool.summary || "";
}

/** One tool call: collapsible, with its code or arguments, live output, result or error, and artifacts (the
 * answer folds all of a turn's calls into one "n steps" line: Steps.tsx); a receipt naming its cell opens it
 * and scrolls it into view. */
export function ToolCard({ tool, onOpenArtifact }: { tool: ToolCardData; onOpenArtifact?: (a: Artifact) => void }) {
  const [open, setOpen] = useState(true);
  const [flash, setFlash] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const show = () => {
      setOpen(true);
      setFlash(true);
      requestAnimationFrame(() => ref.current?.scrollIntoView?.({ block: "center", behavior: "smooth" }));
    };
    if (takePendingCell(tool.executionId)) show();
    return onOpenCell((id) => {
      if (id === tool.executionId && takePendingCell(id)) show();
    });
  }, [tool.executionId]);
  useEffect(() => {
    if (!flash) return;
    const t = setTimeout(() => setFlash(false), 1500);
    return () => clearTimeout(t);
  }, [flash]);
  const code = typeof tool.args.code === "string" ? tool.args.code : null;
  const otherArgs = code ? Object.fromEntries(Object.entries(tool.args).filter(([k]) => k !== "code")) : tool.args;
  const result = tool.done ? resultText(tool) : "";
  const status = !tool.done ? "running" : tool.ok === false ? "error" : tool.ok === undefined && !tool.result ? "no result" : "ok";
  const badge = {
    running: "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-200",
    error: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
    ok: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
    "no result": "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  }[status];
  return (
    <div
      ref={ref}
      className={`my-2 rounded-lg border bg-slate-50/70 dark:bg-slate-900/40 ${flash ? "border-sky-500 ring-2 ring-sky-400" : "border-slate-200 dark:border-slate-800"}`}
      data-testid="tool-card"
      data-status={status}
      data-execution-id={tool.executionId}
    >
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        className="flex w-full items-center gap-2 px-3 py-2 text-left text-sm"
      >
        <span className="text-slate-400">{open ? "▾" : "▸"}</span>
        <span className="font-medium">{LABELS[tool.name] ?? tool.name}</span>
        <code className="text-xs text-slate-600 dark:text-slate-400">{tool.name}</code>
        <span className={`ml-auto rounded-full px-2 py-0.5 text-xs ${badge}`}>
          {status === "running" ? (
            <span className="inline-flex items-center gap-1">
              <span className="h-2 w-2 animate-pulse rounded-full bg-amber-500" /> running
            </span>
          ) : (
            status
          )}
        </span>
      </button>
      {open && (
        <div className="space-y-2 border-t border-slate-200 px-3 py-2 dark:border-slate-800">
          {code !== null && <CodeBlock code={code} lang="python" />}
          {Object.keys(otherArgs).length > 0 && <CodeBlock code={JSON.stringify(otherArgs, null, 2)} lang="json" />}
          {tool.output && (
            <div>
              <div className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">Output</div>
              <CappedPre testId="tool-output">{tool.output}</CappedPre>
            </div>
          )}
          {tool.done && result && (
            <div>
              <div className={`text-xs uppercase tracking-wide ${tool.ok === false ? "text-red-600 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}>
                {tool.ok === false ? "Error" : "Result"}
              </div>
              <pre
                className={`max-h-64 overflow-auto whitespace-pre-wrap rounded p-2 text-xs ${
                  tool.ok === false ? "bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200" : "bg-white dark:bg-slate-950"
                }`}
                data-testid="tool-result"
              >
                {result}
              </pre>
            </div>
          )}
        </div>
      )}
      {tool.link && <LinkCard link={tool.link} />}
      {tool.artifacts.length > 0 && (
        <div className="px-3 pb-2">
          {tool.artifacts.map((a) => (
            <ArtifactView key={a.id} artifact={a} onOpen={onOpenArtifact} />
          ))}
        </div>
      )}
    </div>
  );
}

/** A link card: opens the linked site (another origin) in a new tab, never inside the app. */
export function LinkCard({ link }: { link: ToolLink }) {
  const host = (() => {
    try {
      return new URL(link.url).host;
    } catch {
      return link.url;
    }
  })();
  return (
    <div className="px-3 pb-2">
      <a
        href={link.url}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="link-card"
        className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm hover:border-sky-400 dark:border-slate-700 dark:bg-slate-950"
      >
        <span aria-hidden="true" className="text-xl">
          🏙️
        </span>
        <span className="min-w-0">
          <span className="block font-medium text-sky-700 dark:text-sky-300">{link.title}</span>
          {link.place && <span className="block truncate text-xs text-slate-600 dark:text-slate-400">{link.place}</span>}
          <span className="block text-xs text-slate-500 dark:text-slate-400">{host} ↗</span>
        </span>
      </a>
    </div>
  );
}
