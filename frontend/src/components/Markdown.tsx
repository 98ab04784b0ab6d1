import { memo, useMemo, useRef, type ReactNode } from "react";
import { markFigures, openCell, RECEIPT_HREF, receiptTitle, UNVERIFIED_HREF, UNVERIFIED_TITLE, type Receipt, type Unverified } from "../lib/receipts";
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
  a: ({ href, children }) => <ExternalLink href={href}>{children}</ExternalLink>,
};

function ExternalLink({ href, children }: { href?: string; children?: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" className="text-sky-700 underline dark:text-sky-400">
      {children}
    </a>
  );
}

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

/** A figure with a receipt: a button opening the cell that printed it (or naming the dataset's metadata). */
function ReceiptLink({ receipt, children }: { receipt: Receipt; children?: ReactNode }) {
  const cell = receipt.execution_id;
  return (
    <button
      type="button"
      data-testid="receipt"
      title={receiptTitle(receipt)}
      disabled={!cell}
      onClick={() => cell && openCell(cell)}
      className="receipt rounded px-0.5 text-sky-800 underline decoration-sky-500 decoration-dotted underline-offset-2 hover:bg-sky-100 disabled:cursor-default disabled:no-underline dark:text-sky-300 dark:hover:bg-sky-900/50"
    >
      {children}
    </button>
  );
}

function withFigures(receipts: Receipt[]): Components {
  return {
    ...components,
    a: ({ href, children }) => {
      if (href?.startsWith(RECEIPT_HREF)) {
        const receipt = receipts[Number(href.slice(RECEIPT_HREF.length))];
        if (receipt) return <ReceiptLink receipt={receipt}>{children}</ReceiptLink>;
      }
      if (href?.startsWith(UNVERIFIED_HREF)) {
        return (
          <span
            data-testid="unverified"
            title={UNVERIFIED_TITLE}
            className="unverified rounded bg-amber-100 px-0.5 text-amber-900 underline decoration-amber-600 decoration-wavy dark:bg-amber-900/40 dark:text-amber-200"
          >
            {children}
            <span className="sr-only"> (not verified)</span>
          </span>
        );
      }
      return <ExternalLink href={href}>{children}</ExternalLink>;
    },
  };
}

/** Markdown with GitHub tables; raw HTML in messages is not rendered. An answer's figures (issue 15): those
 * with a receipt open their cell, unverified ones are marked. */
export const Markdown = memo(function Markdown({
  text,
  receipts,
  unverified,
}: {
  text: string;
  receipts?: Receipt[];
  unverified?: Unverified[];
}) {
  const figures = (receipts?.length ?? 0) + (unverified?.length ?? 0) > 0;
  const shown = useMemo(() => (figures ? markFigures(text, receipts, unverified) : text), [figures, text, receipts, unverified]);
  const parts = useMemo(() => (figures ? withFigures(receipts ?? []) : components), [figures, receipts, unverified]);
  return (
    <div className="prose-lg markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={parts}>
        {shown}
      </ReactMarkdown>
    </div>
  );
});
