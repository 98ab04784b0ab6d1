import { useEffect, useState } from "react";
import { copyText } from "../lib/copy";

/** A small "Copy" button: says "Copied" (or that it could not) for a moment, announced to screen readers. */
export function CopyButton({ text, label = "Copy", className = "" }: { text: () => string; label?: string; className?: string }) {
  const [done, setDone] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(null), 1500);
    return () => clearTimeout(t);
  }, [done]);
  return (
    <button
      type="button"
      onClick={() => copyText(text()).then(() => setDone("copied"), () => setDone("failed"))}
      aria-label={label}
      title={label}
      className={`rounded border border-slate-300 bg-white/90 px-1.5 py-0.5 text-[11px] text-slate-600 hover:bg-slate-100 hover:text-slate-900 max-wide:min-h-11 dark:border-slate-700 dark:bg-slate-900/90 dark:text-slate-300 dark:hover:bg-slate-800 ${className}`}
    >
      <span aria-live="polite">{done === "copied" ? "Copied" : done === "failed" ? "Could not copy" : label}</span>
    </button>
  );
}
