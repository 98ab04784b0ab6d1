import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type ChangeEvent, type DragEvent, type KeyboardEvent } from "react";
import { uploadFile } from "../api/client";
import { useExecutions, useFiles, useRestartSandbox } from "../api/hooks";
import { formatBytes } from "./Artifact";
import type { Artifact, Upload } from "../api/types";
import { useCellRun, type CellRun } from "../lib/useCellRun";
import { CodeBlock } from "./CodeBlock";
import { CopyButton } from "./CopyButton";
import { PaperclipIcon } from "./Icons";
import { CappedPre, ExecutionOutputs } from "./Outputs";

/** The thread's executions in order, and a cell to run Python in the thread's sandbox directly: its output
 * streams while it runs, Interrupt stops it (variables kept), Restart asks first; files dropped on the panel
 * (or picked) are uploaded to the workspace. */
export function NotebookPanel({
  threadId,
  onOpenArtifact,
  upload = uploadFile,
}: {
  threadId: string;
  onOpenArtifact: (a: Artifact) => void;
  upload?: (threadId: string, file: File) => Promise<Upload>;
}) {
  const executions = useExecutions(threadId);
  const { cell, start, interrupt, running } = useCellRun(threadId);
  const [code, setCode] = useState("");
  const inputRef = useRef<HTMLDivElement>(null);
  const uploads = useUploads(threadId, upload);

  const run = () => {
    if (!code.trim() || running) return;
    void start(code).then(() => setTimeout(() => inputRef.current?.scrollIntoView?.({ block: "end", behavior: "smooth" }), 50));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.shiftKey || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  };

  return (
    <div className="min-h-0 flex-1 overflow-y-auto" data-testid="notebook" onDragOver={(e) => e.preventDefault()} onDrop={uploads.onDrop}>
      <div className="mx-auto max-w-4xl space-y-3 p-4">
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Every cell run in this thread — by you or by the analyst — in order. Variables persist between cells; files are relative
          to the workspace (<code>datasets/…</code>, <code>artifacts/…</code>, <code>uploads/…</code>).
        </p>
        {executions.isError && (
          <p className="text-sm text-red-600 dark:text-red-400">Could not load the executions: {executions.error.message}</p>
        )}
        {(executions.data ?? []).map((ex, i) => (
          <div key={ex.id} className="rounded-lg border border-slate-200 dark:border-slate-800" data-testid="notebook-cell">
            <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-1 text-xs text-slate-600 dark:text-slate-400 dark:border-slate-800">
              <span className="font-mono">[{i + 1}]</span>
              <span>{ex.source === "agent" ? "by the analyst" : "by you"}</span>
              <span className={ex.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}>{ex.ok ? "ok" : "error"}</span>
              <span className="ml-auto">{ex.duration_ms} ms</span>
            </div>
            {ex.code && <CodeBlock code={ex.code} lang="python" className="rounded-none" />}
            <div className="px-3 py-2">
              <ExecutionOutputs result={ex} onOpenArtifact={onOpenArtifact} />
            </div>
          </div>
        ))}
        <div ref={inputRef} className="rounded-lg border-2 border-sky-300 dark:border-sky-800">
          <textarea
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={onKeyDown}
            rows={Math.min(20, Math.max(4, code.split("\n").length + 1))}
            spellCheck={false}
            placeholder={"import pandas as pd\ndf = pd.read_parquet('datasets/…')\ndf.head()"}
            aria-label="Code cell"
            className="w-full resize-y rounded-t-lg bg-white p-3 font-mono text-[13px] outline-none dark:bg-slate-900"
          />
          <div className="flex flex-wrap items-center gap-2 border-t border-slate-200 px-3 py-2 dark:border-slate-800">
            {running ? (
              <button
                type="button"
                onClick={interrupt}
                className="rounded-md bg-red-600 px-3 py-1 text-sm text-white hover:bg-red-700 max-wide:min-h-11"
                title="Stop the running cell (variables are kept)"
              >
                ■ Interrupt
              </button>
            ) : (
              <button
                type="button"
                onClick={run}
                disabled={!code.trim()}
                className="rounded-md bg-sky-700 px-3 py-1 text-sm text-white hover:bg-sky-800 disabled:opacity-40 max-wide:min-h-11"
              >
                ▶ Run
              </button>
            )}
            <span className="text-xs text-slate-600 dark:text-slate-400">{running ? "Running…" : "Shift+Enter to run"}</span>
            <UploadButton onPick={uploads.onPick} />
            <RestartButton threadId={threadId} />
          </div>
          <UploadList items={uploads.items} />
          <CellNow cell={cell} known={(id) => !!executions.data?.some((e) => e.id === id)} onOpenArtifact={onOpenArtifact} />
        </div>
        <WorkspaceFiles threadId={threadId} />
      </div>
    </div>
  );
}

/** The cell being run (its output so far), or how the last run ended while the list has not caught up. */
function CellNow({ cell, known, onOpenArtifact }: { cell: CellRun; known: (id: string) => boolean; onOpenArtifact: (a: Artifact) => void }) {
  const box = "space-y-2 border-t border-slate-200 px-3 py-2 text-sm dark:border-slate-800";
  if (cell.state === "running" || cell.state === "interrupted") {
    return (
      <div className={box} data-testid={cell.state === "running" ? "cell-running" : "cell-interrupted"}>
        {cell.state === "interrupted" ? (
          <p className="text-xs font-medium text-amber-700 dark:text-amber-300">Interrupted — the cell was stopped; variables are kept.</p>
        ) : (
          <p className="inline-flex items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
            <span className="h-2 w-2 animate-pulse rounded-full bg-amber-500" /> running
          </p>
        )}
        {cell.stdout && <CappedPre testId="cell-live">{cell.stdout}</CappedPre>}
        {cell.stderr && <CappedPre className="text-amber-700 dark:text-amber-300">{cell.stderr}</CappedPre>}
      </div>
    );
  }
  if (cell.state === "failed") return <p className="px-3 pb-2 text-sm text-red-600 dark:text-red-400">{cell.message}</p>;
  if (cell.state === "done" && !known(cell.result.id)) {
    return (
      <div className={box} data-testid="cell-result">
        <ExecutionOutputs result={cell.result} onOpenArtifact={onOpenArtifact} />
      </div>
    );
  }
  return null;
}

/** Restart clears every variable: it asks first (Escape or Cancel keeps them). */
function RestartButton({ threadId }: { threadId: string }) {
  const restart = useRestartSandbox(threadId);
  const [asking, setAsking] = useState(false);
  if (asking) {
    return (
      <div
        role="alertdialog"
        aria-label="Restart the sandbox?"
        onKeyDown={(e) => {
          if (e.key !== "Escape") return;
          e.stopPropagation();
          setAsking(false);
        }}
        className="ml-auto flex flex-wrap items-center gap-2 rounded-md border border-red-300 bg-red-50 px-2 py-1 text-xs text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
      >
        Restart? Every variable is cleared; files are kept.
        <button
          type="button"
          onClick={() => restart.mutate(undefined, { onSettled: () => setAsking(false) })}
          disabled={restart.isPending}
          className="rounded bg-red-600 px-2 py-1 text-white hover:bg-red-700 disabled:opacity-60 max-wide:min-h-11"
        >
          {restart.isPending ? "Restarting…" : "Restart"}
        </button>
        <button type="button" autoFocus onClick={() => setAsking(false)} className="rounded border border-slate-300 px-2 py-1 max-wide:min-h-11 dark:border-slate-700">
          Cancel
        </button>
      </div>
    );
  }
  return (
    <button
      type="button"
      onClick={() => {
        restart.reset();
        setAsking(true);
      }}
      className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-xs max-wide:min-h-11 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      title="Clear all variables (files are kept)"
    >
      {restart.isSuccess ? "Restarted ✓" : "Restart sandbox"}
    </button>
  );
}

type UploadItem = { name: string; state: "uploading" | "done" | "error"; detail?: string };

/** Files picked or dropped on the panel go to the workspace (default uploads/<name>) with the composer's API. */
function useUploads(threadId: string, upload: (threadId: string, file: File) => Promise<Upload>) {
  const qc = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const send = async (file: File) => {
    const set = (item: UploadItem) => setItems((xs) => [...xs.filter((x) => x.name !== file.name), item]);
    set({ name: file.name, state: "uploading" });
    try {
      const done = await upload(threadId, file);
      set({ name: file.name, state: "done", detail: done.path });
      qc.invalidateQueries({ queryKey: ["files", threadId] });
    } catch (err) {
      set({ name: file.name, state: "error", detail: err instanceof Error ? err.message : String(err) });
    }
  };
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = "";
    for (const f of files) void send(f);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    for (const f of Array.from(e.dataTransfer.files)) void send(f);
  };
  return { items, onPick, onDrop };
}

function UploadButton({ onPick }: { onPick: (e: ChangeEvent<HTMLInputElement>) => void }) {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <>
      <input ref={picker} type="file" multiple className="hidden" aria-label="File to upload to the workspace" onChange={onPick} />
      <button
        type="button"
        onClick={() => picker.current?.click()}
        title="Upload a file (CSV, XLSX, JSON, GeoJSON, Parquet…) to the workspace, or drop it on the panel"
        className="inline-flex items-center gap-1 rounded-md border border-slate-300 px-2 py-1 text-xs max-wide:min-h-11 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        <PaperclipIcon /> Upload a file
      </button>
    </>
  );
}

function UploadList({ items }: { items: UploadItem[] }) {
  if (!items.length) return null;
  return (
    <ul className="space-y-1 border-t border-slate-200 px-3 py-2 text-xs dark:border-slate-800" aria-label="Uploaded files" data-testid="notebook-uploads">
      {items.map((u) => (
        <li key={u.name} data-state={u.state} className="flex flex-wrap items-center gap-2">
          {u.state === "uploading" && <span className="text-slate-600 dark:text-slate-400">Uploading {u.name}…</span>}
          {u.state === "error" && <span className="text-red-700 dark:text-red-300">{u.name}: {u.detail}</span>}
          {u.state === "done" && u.detail && (
            <>
              <span className="text-slate-600 dark:text-slate-400">Uploaded to</span>
              <code className="rounded bg-slate-100 px-1 font-mono dark:bg-slate-800">{u.detail}</code>
              <CopyButton text={() => u.detail ?? ""} label="Copy path" />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function WorkspaceFiles({ threadId }: { threadId: string }) {
  const files = useFiles(threadId);
  if (!files.data?.length) return null;
  return (
    <details className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800" data-testid="workspace-files">
      <summary className="cursor-pointer font-medium">Workspace files ({files.data.length})</summary>
      <ul className="mt-2 space-y-1">
        {files.data.map((f) => (
          <li key={f.path} className="flex gap-2 text-xs">
            <a
              className="font-mono text-sky-700 underline dark:text-sky-400"
              href={`/api/threads/${threadId}/files/${f.path.split("/").map(encodeURIComponent).join("/")}`}
              download
            >
              {f.path}
            </a>
            <span className="text-slate-600 dark:text-slate-400">{formatBytes(f.size)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
