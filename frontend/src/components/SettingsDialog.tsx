import { useEffect, useState } from "react";
import { useConfigDefaults, useUpdateThread } from "../api/hooks";
import type { Thread } from "../api/types";
import { ErrorText } from "./Banner";
import { ProviderKeys } from "./ProviderKeys";

/** Per-thread model settings: model, temperature, system prompt, context window, the answer reviewer. */
export function SettingsDialog({ thread, onClose }: { thread: Thread; onClose: () => void }) {
  const defaults = useConfigDefaults();
  const update = useUpdateThread();
  const [model, setModel] = useState(thread.config.model);
  const [temperature, setTemperature] = useState(thread.config.temperature);
  const [systemPrompt, setSystemPrompt] = useState(thread.config.system_prompt ?? "");
  const [contextWindow, setContextWindow] = useState(thread.config.context_window);
  const [reviewer, setReviewer] = useState(thread.config.reviewer);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const models = defaults.data?.models ?? [];
  const modelIds = models.some((m) => m.id === model) ? models : [...models, { id: model, label: model, provider: "" }];

  const save = () =>
    update.mutate(
      {
        id: thread.id,
        config: {
          model,
          temperature,
          system_prompt: systemPrompt || null,
          context_window: contextWindow,
          // only when changed: an untouched thread keeps following the server's REVIEWER_ENABLED
          ...(reviewer !== thread.config.reviewer ? { reviewer } : {}),
        },
      },
      { onSuccess: onClose },
    );

  const field = "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-black/40 p-4 max-wide:p-0" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Thread settings"
        onClick={(e) => e.stopPropagation()}
        className="w-full max-w-lg space-y-4 overflow-y-auto rounded-xl bg-white p-5 shadow-xl max-wide:h-full max-wide:max-w-none max-wide:rounded-none dark:bg-slate-900"
      >
        <h2 className="text-lg font-semibold">Thread settings</h2>
        {defaults.data && defaults.data.providers.length === 0 && (
          <p className="rounded bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
            No model provider is configured on this server (set OPENAI_API_KEY, OPENAI_BASE_URL or ANTHROPIC_API_KEY).
          </p>
        )}
        <label className="block text-sm">
          Model
          <select value={model} onChange={(e) => setModel(e.target.value)} className={field} aria-label="Model">
            {modelIds.map((m) => (
              <option key={m.id} value={m.id}>
                {m.provider ? `${m.label} (${m.provider})` : m.label}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          Temperature: <span className="font-mono">{temperature.toFixed(1)}</span>
          <input type="range" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} className="w-full" aria-label="Temperature" />
        </label>
        <label className="block text-sm">
          System prompt (optional, added to the analyst's instructions)
          <textarea value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} rows={4} className={field} aria-label="System prompt" />
        </label>
        <label className="block text-sm">
          Context window (tokens, 1,024 to 10,000,000)
          <input type="number" min={1024} max={10_000_000} step={1024} value={contextWindow} onChange={(e) => setContextWindow(Number(e.target.value))} className={field} aria-label="Context window" />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={reviewer} onChange={(e) => setReviewer(e.target.checked)} aria-label="Review answers" />
          Review answers (a second model scores each answer for completeness and relevancy and may send it back for another try)
        </label>
        <ProviderKeys />
        {update.isError && <ErrorText error={update.error} onRetry={save} />}
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onClose} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm max-wide:min-h-11 dark:border-slate-700">
            Cancel
          </button>
          <button type="button" onClick={save} disabled={update.isPending} className="rounded-md bg-sky-700 px-3 py-1.5 text-sm text-white hover:bg-sky-800 max-wide:min-h-11">
            Save
          </button>
        </div>
      </div>
    </div>
  );
}
