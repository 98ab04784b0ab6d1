import { memo, useRef, type ReactNode } from "react";
import { tableToCsv } from "../lib/copy";
import { CopyButton } from "./CopyButton";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CodeBlock } from "./CodeBlock";

const components: Components = {
  pre: ({ children }) => <>{children}</>,
  code({ className, children }) {
    const lang = /language-(\w+)/.exec(className ?? "")?.[1];
    const text = String(children ?? "");
    if (!lang && !text.includes("\n")) {
      return <code className="rounded bg-slate-100 px-1 py-0.5 text-[0.9em] dark:bg-slate-800">{children}</code>;
    }
    return <CodeBlock code={text.replace(/\n$/, "")} lang={lang} className="my-2" />;
  },
  table: ({ children }) => <MdTable>{children}</MdTable>,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener" className="text-sky-700 underline dark:text-sky-400">
      {children}
    </a>
  ),
};

function MdTable({ children }: { children?: ReactNode }) {
  const ref = useRef<HTMLTableElement>(null);
  return (
    <div className="my-2">
      <div className="overflow-x-auto">
        <table ref={ref} className="md-table">
          {children}
        </table>
      </div>
      <CopyButton text={() => (ref.current ? tableToCsv(ref.current) : "")} label="Copy as CSV" className="mt-1" />
    </div>
  );
}

/** Markdown with GitHub tables; raw HTML in messages is not rendered. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="prose-lg markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
