import { useState, type KeyboardEvent } from "react";

/** The message box: Enter sends, Shift+Enter adds a line. */
export function Composer({
  running,
  disabled,
  stopped,
  onSend,
  onStop,
}: {
  running: boolean;
  disabled?: boolean;
  stopped?: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const [text, setText] = useState("");
  const send = () => {
    if (!text.trim() || running || disabled) return;
    onSend(text);
    setText("");
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };
  return (
    <div className="border-t border-slate-200 bg-white/80 px-4 py-3 dark:border-slate-800 dark:bg-slate-950/80">
      <div className="mx-auto flex max-w-3xl flex-col gap-2">
        {stopped && !running && (
          <div className="flex items-center gap-2 text-xs text-slate-500">
            Run stopped. What was produced is kept.
            <button
              type="button"
              onClick={() => onSend("Continue from where you stopped.")}
              className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Continue
            </button>
          </div>
        )}
        <div className="flex items-end gap-2">
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            rows={Math.min(8, Math.max(2, text.split("\n").length))}
            placeholder="Ask about Bologna's open data… (Enter to send, Shift+Enter for a new line)"
            aria-label="Message"
            disabled={disabled}
            className="min-h-[3rem] flex-1 resize-none rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-slate-700 dark:bg-slate-900"
          />
          {running ? (
            <button type="button" onClick={onStop} className="h-10 rounded-lg bg-red-600 px-4 text-sm font-medium text-white hover:bg-red-700">
              ■ Stop
            </button>
          ) : (
            <button
              type="button"
              onClick={send}
              disabled={!text.trim() || disabled}
              className="h-10 rounded-lg bg-sky-600 px-4 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-40"
            >
              Send
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
