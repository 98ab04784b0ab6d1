import type { ReactNode } from "react";
import { ApiError } from "../api/client";
import { explainError } from "../lib/errors";

const TONES = {
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100",
  warn: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100",
  info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-100",
};

export function Banner({
  tone,
  title,
  children,
  onDismiss,
}: {
  tone: keyof typeof TONES;
  title: string;
  children?: ReactNode;
  onDismiss?: () => void;
}) {
  return (
    <div role="alert" className={`mx-auto my-2 flex max-w-3xl gap-3 rounded-lg border px-4 py-3 text-sm ${TONES[tone]}`} data-testid={`banner-${tone}`}>
      <div className="flex-1">
        <div className="font-semibold">{title}</div>
        {children && <div className="mt-1 space-y-1">{children}</div>}
      </div>
      {onDismiss && (
        <button type="button" onClick={onDismiss} aria-label="Dismiss" className="self-start opacity-70 hover:opacity-100">
          ✕
        </button>
      )}
    </div>
  );
}

/** Said up front (home page, empty thread, settings) when the server has no model provider. */
export function NoModelBanner({ onDismiss }: { onDismiss?: () => void }) {
  return (
    <Banner tone="error" title="No language model is configured on this server" onDismiss={onDismiss}>
      <p>
        Set <code>OPENAI_API_KEY</code> (or <code>OPENAI_BASE_URL</code> for an OpenAI-compatible server such as Ollama or vLLM)
        or <code>ANTHROPIC_API_KEY</code>, choose <code>LLM_MODEL</code> (e.g. <code>openai:gpt-4.1-mini</code>) in <code>.env</code>,
        and restart. Meanwhile the Notebook and Datasets panels work without a model.
      </p>
    </Banner>
  );
}

const actionButton =
  "mt-2 mr-2 rounded-md border border-current px-3 py-1 text-sm font-medium hover:bg-black/5 max-wide:min-h-11 dark:hover:bg-white/10";

/** An API error in words: what happened, what to do, and only the action that can help. */
export function ErrorNotice({
  code,
  message,
  onRetry,
  onOpenSettings,
  onDismiss,
}: {
  code: string;
  message: string;
  onRetry?: () => void;
  onOpenSettings?: () => void;
  onDismiss?: () => void;
}) {
  if (code === "MODEL_NOT_CONFIGURED") return <NoModelBanner onDismiss={onDismiss} />;
  const e = explainError(code, message);
  return (
    <Banner tone={code === "RUN_IN_PROGRESS" ? "warn" : "error"} title={e.title} onDismiss={onDismiss}>
      <p>{e.detail}</p>
      {e.action === "retry" && onRetry && (
        <button type="button" onClick={onRetry} className={actionButton}>
          Retry
        </button>
      )}
      {e.action === "settings" && onOpenSettings && (
        <button type="button" onClick={onOpenSettings} className={actionButton}>
          Open settings
        </button>
      )}
    </Banner>
  );
}

/** A banner for a run error, saying what the user (or the admin) can do about it. */
export const RunErrorBanner = ErrorNotice;

/** A failed request shown inline (a panel, a dialog): the explained error, and Retry when it can help. */
export function ErrorText({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const code = error instanceof ApiError ? error.code : "NETWORK_ERROR";
  const e = explainError(code, error instanceof Error ? error.message : String(error));
  return (
    <span className="block text-sm text-red-700 dark:text-red-300" role="alert">
      <strong>{e.title}.</strong> {e.detail}
      {e.action === "retry" && onRetry && (
        <button type="button" onClick={onRetry} className="ml-2 rounded border border-current px-2 py-0.5 text-xs max-wide:min-h-11">
          Retry
        </button>
      )}
    </span>
  );
}
