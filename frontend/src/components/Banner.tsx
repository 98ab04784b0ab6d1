import type { ReactNode } from "react";

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

/** A banner for a run error, saying what the user (or the admin) can do about it. */
export function RunErrorBanner({ code, message, onDismiss }: { code: string; message: string; onDismiss: () => void }) {
  if (code === "MODEL_NOT_CONFIGURED") {
    return (
      <Banner tone="error" title="No language model is configured on this server" onDismiss={onDismiss}>
        <p>{message}</p>
        <p>
          Set <code>OPENAI_API_KEY</code> (or <code>OPENAI_BASE_URL</code> for an OpenAI-compatible server such as Ollama or vLLM)
          or <code>ANTHROPIC_API_KEY</code>, choose <code>LLM_MODEL</code> (e.g. <code>openai:gpt-4.1-mini</code>) in <code>.env</code>,
          and restart. Meanwhile the Notebook and Datasets panels work without a model.
        </p>
      </Banner>
    );
  }
  if (code === "MODEL_UNAVAILABLE") {
    return (
      <Banner tone="error" title="The model is not answering" onDismiss={onDismiss}>
        <p>{message}</p>
        <p>Try again in a moment, or pick another model in the thread settings (gear icon, top right).</p>
      </Banner>
    );
  }
  if (code === "RUN_IN_PROGRESS") {
    return (
      <Banner tone="warn" title="A run is already going in this thread" onDismiss={onDismiss}>
        <p>Wait for it to finish or press Stop.</p>
      </Banner>
    );
  }
  return (
    <Banner tone="error" title="Something went wrong" onDismiss={onDismiss}>
      <p>
        {message} <span className="opacity-60">({code})</span>
      </p>
    </Banner>
  );
}
