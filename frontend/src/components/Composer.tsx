import { useEffect, useState, type KeyboardEvent } from "react";
import { initialText, onRestore, saveDraft } from "../lib/drafts";

/** The message box: Enter sends, Shift+Enter adds a line. Its text is kept per `scope` (thread) in localStorage. */
export function Composer({
  scope,
  running,
  disabled,
  stopped,
  onSend,
  onStop,
}: {
  scope: string;
  running: boolean;
  disabled?: boolean;
  stopped?: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const [text, setText] = useState(() => initialText(scope));
  useEffect(() => onRestore(scope, setText), [scope]);
  const change = (value: string) => {
    setText(value);
    saveDraft(scope, value);
  };
  const send = () => {
    if (!text.trim() || running || disabled) return;
    onSend(text);
    change("");
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };
  const button = "absolute bottom-2 right-2 h-9 rounded-lg px-4 text-sm font-medium text-white max-wide:h-11 max-wide:min-w-11";
  return (
    <div className="border-t border-slate-200 bg-white/80 px-2 py-2 wide:px-4 wide:py-3 dark:border-slate-800 dark:bg-slate-950/80" data-testid="composer">
      <div className="mx-auto flex max-w-3xl flex-col gap-2">
        {stopped && !running && (
          <div className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
            Run stopped. What was produced is kept.
            <button
              type="button"
              onClick={() => onSend("Continue from where you stopped.")}
              className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 max-wide:min-h-11 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Continue
            </button>
          </div>
        )}
        <div className="relative">
          <textarea
            value={text}
            onChange={(e) => change(e.target.value)}
            onKeyDown={onKeyDown}
            rows={Math.min(8, Math.max(2, text.split("\n").length))}
            placeholder="Ask about Bologna's open data…"
            title="Enter to send, Shift+Enter for a new line"
            aria-label="Message"
            disabled={disabled}
            className="block min-h-[3.5rem] w-full resize-none rounded-lg border border-slate-300 bg-white py-2 pl-3 pr-24 text-base shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 wide:text-sm dark:border-slate-700 dark:bg-slate-900"
          />
          {running ? (
            <button type="button" onClick={onStop} className={`${button} bg-red-600 hover:bg-red-700`} data-testid="stop-run">
              ■ Stop
            </button>
          ) : (
            <button type="button" onClick={send} disabled={!text.trim() || disabled} className={`${button} bg-sky-700 hover:bg-sky-800 disabled:opacity-40`}>
              Send
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
