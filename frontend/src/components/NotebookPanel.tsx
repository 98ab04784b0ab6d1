import { useRef, useState, type KeyboardEvent } from "react";
import { useExecute, useExecutions, useFiles, useRestartSandbox } from "../api/hooks";
import { formatBytes } from "./Artifact";
import type { Artifact } from "../api/types";
import { CodeBlock } from "./CodeBlock";
import { ExecutionOutputs } from "./Outputs";

/** The thread's executions in order, and a cell to run Python in the thread's sandbox directly. */
export function NotebookPanel({ threadId, onOpenArtifact }: { threadId: string; onOpenArtifact: (a: Artifact) => void }) {
  const executions = useExecutions(threadId);
  const execute = useExecute(threadId);
  const restart = useRestartSandbox(threadId);
  const [code, setCode] = useState("");
  const inputRef = useRef<HTMLDivElement>(null);

  const run = () => {
    if (!code.trim() || execute.isPending) return;
    execute.mutate(code, {
      onSettled: () => setTimeout(() => inputRef.current?.scrollIntoView({ block: "end", behavior: "smooth" }), 50),
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.shiftKey || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  };

  return (
    <div className="min-h-0 flex-1 overflow-y-auto" data-testid="notebook">
      <div className="mx-auto max-w-4xl space-y-3 p-4">
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Every cell run in this thread — by you or by the analyst — in order. Variables persist between cells; files are relative
          to the workspace (<code>datasets/…</code>, <code>artifacts/…</code>).
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
          <div className="flex items-center gap-2 border-t border-slate-200 px-3 py-2 dark:border-slate-800">
            <button
              type="button"
              onClick={run}
              disabled={!code.trim() || execute.isPending}
              className="rounded-md bg-sky-700 px-3 py-1 text-sm text-white hover:bg-sky-800 disabled:opacity-40 max-wide:min-h-11"
            >
              {execute.isPending ? "Running…" : "▶ Run"}
            </button>
            <span className="text-xs text-slate-600 dark:text-slate-400">Shift+Enter to run</span>
            <button
              type="button"
              onClick={() => restart.mutate()}
              disabled={restart.isPending}
              className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-xs max-wide:min-h-11 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
              title="Clear all variables (files are kept)"
            >
              {restart.isSuccess ? "Restarted ✓" : "Restart sandbox"}
            </button>
          </div>
          {execute.isError && <p className="px-3 pb-2 text-sm text-red-600 dark:text-red-400">{execute.error.message}</p>}
          {execute.data && !executions.data?.some((e) => e.id === execute.data.id) && (
            <div className="border-t border-slate-200 px-3 py-2 dark:border-slate-800" data-testid="cell-result">
              <ExecutionOutputs result={execute.data} onOpenArtifact={onOpenArtifact} />
            </div>
          )}
        </div>
        <WorkspaceFiles threadId={threadId} />
      </div>
    </div>
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
