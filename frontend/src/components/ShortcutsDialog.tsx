import { useEffect } from "react";
import { SHORTCUTS } from "../lib/shortcuts";

/** The `?` sheet: every keyboard shortcut, closed by Escape, the button or a click outside. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(e) => e.stopPropagation()}
        className="w-full max-w-md rounded-xl bg-white p-5 shadow-xl dark:bg-slate-900"
      >
        <h2 id="shortcuts-title" className="mb-3 text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.action} className="border-t border-slate-200 dark:border-slate-800">
                <td className="py-2 pr-4">{s.label}</td>
                <td className="whitespace-pre py-2 text-right">
                  <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs dark:border-slate-700 dark:bg-slate-800">{s.keys}</kbd>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">Enter sends a message, Shift+Enter starts a new line.</p>
        <div className="mt-4 flex justify-end">
          <button type="button" autoFocus onClick={onClose} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 max-wide:min-h-11 dark:border-slate-700 dark:hover:bg-slate-800">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
