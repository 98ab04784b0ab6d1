import { memo, useEffect, useState } from "react";
import { CopyButton } from "./CopyButton";

type Highlighter = (code: string, lang?: string) => string;
let loaded: Promise<Highlighter> | null = null;
const loadHighlighter = () => (loaded ??= import("../lib/highlight").then((m) => m.highlight));

/** A code block: plain text at once, highlighted when the (lazy) highlighter has loaded. */
export const CodeBlock = memo(function CodeBlock({ code, lang, className = "" }: { code: string; lang?: string; className?: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadHighlighter().then((h) => live && setHtml(h(code, lang)));
    return () => {
      live = false;
    };
  }, [code, lang]);
  return (
    <div className={`group/code relative ${className}`}>
      <pre className="hljs overflow-x-auto rounded-md bg-slate-100 p-3 text-[13px] leading-relaxed dark:bg-slate-900">
        {html === null ? <code>{code}</code> : <code dangerouslySetInnerHTML={{ __html: html }} />}
      </pre>
      <CopyButton text={() => code} label="Copy code" className="absolute right-1.5 top-1.5" />
    </div>
  );
});
