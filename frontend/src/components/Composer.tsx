import { useEffect, useRef, useState, type ChangeEvent, type DragEvent, type KeyboardEvent } from "react";
import { uploadFile } from "../api/client";
import type { Upload } from "../api/types";
import { initialText, onRestore, saveDraft } from "../lib/drafts";
import { PaperclipIcon } from "./Icons";

type Chip = { name: string; state: "uploading" | "done" | "error"; detail?: string };

/** The message box: Enter sends, Shift+Enter adds a line; its text is kept per `scope` (thread) in localStorage;
 * the paperclip (or a drop) uploads files to the thread. */
export function Composer({
  scope,
  running,
  disabled,
  stopped,
  onSend,
  onStop,
  threadId,
  upload = uploadFile,
  onUploaded,
}: {
  scope: string;
  running: boolean;
  disabled?: boolean;
  stopped?: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  threadId?: string;
  upload?: (threadId: string, file: File) => Promise<Upload>;
  onUploaded?: (u: Upload) => void;
}) {
  const [text, setText] = useState(() => initialText(scope));
  useEffect(() => onRestore(scope, setText), [scope]);
  const change = (value: string) => {
    setText(value);
    saveDraft(scope, value);
  };
  const [chips, setChips] = useState<Chip[]>([]);
  const picker = useRef<HTMLInputElement>(null);
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (file) void sendFile(file);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    if (!threadId || disabled || !e.dataTransfer.files.length) return;
    e.preventDefault();
    for (const file of Array.from(e.dataTransfer.files)) void sendFile(file);
  };
  const sendFile = async (file: File) => {
    if (!threadId) return;
    const set = (chip: Chip) => setChips((cs) => [...cs.filter((c) => c.name !== file.name), chip]);
    set({ name: file.name, state: "uploading" });
    try {
      const done = await upload(threadId, file);
      set({ name: file.name, state: "done", detail: done.path });
      onUploaded?.(done);
    } catch (err) {
      set({ name: file.name, state: "error", detail: err instanceof Error ? err.message : String(err) });
    }
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
    <div
      onDragOver={(e) => threadId && !disabled && e.preventDefault()}
      onDrop={onDrop}
      className="border-t border-slate-200 bg-white/80 px-2 py-2 wide:px-4 wide:py-3 dark:border-slate-800 dark:bg-slate-950/80"
      data-testid="composer"
    >
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
        {chips.length > 0 && (
          <ul className="flex flex-wrap gap-1.5" aria-label="Uploaded files">
            {chips.map((c) => (
              <li
                key={c.name}
                data-state={c.state}
                title={c.detail}
                className={`rounded-full border px-2 py-0.5 text-xs ${c.state === "error" ? "border-red-400 text-red-700 dark:text-red-300" : "border-slate-300 text-slate-600 dark:border-slate-700 dark:text-slate-300"}`}
              >
                {c.state === "uploading" ? `Uploading ${c.name}…` : c.state === "error" ? `${c.name}: ${c.detail}` : c.detail}
              </li>
            ))}
          </ul>
        )}
        <div className="relative">
          {threadId && (
            <>
              <input ref={picker} type="file" className="hidden" aria-label="File to upload" onChange={onPick} />
              <button
                type="button"
                onClick={() => picker.current?.click()}
                disabled={disabled}
                aria-label="Upload a file"
                title="Upload a file (CSV, XLSX, JSON, GeoJSON, Parquet…) to this conversation's workspace"
                className="absolute bottom-2 left-2 h-9 rounded-lg px-2 text-slate-500 hover:bg-slate-100 disabled:opacity-40 max-wide:h-11 max-wide:min-w-11 dark:text-slate-400 dark:hover:bg-slate-800"
              >
                <PaperclipIcon />
              </button>
            </>
          )}
          <textarea
            value={text}
            onChange={(e) => change(e.target.value)}
            onKeyDown={onKeyDown}
            rows={Math.min(8, Math.max(2, text.split("\n").length))}
            placeholder="Ask about Bologna's open data…"
            title="Enter to send, Shift+Enter for a new line"
            aria-label="Message"
            disabled={disabled}
            className={`block min-h-[3.5rem] w-full resize-none rounded-lg border border-slate-300 bg-white py-2 ${threadId ? "pl-12" : "pl-3"} pr-24 text-base shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 wide:text-sm dark:border-slate-700 dark:bg-slate-900`}
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
