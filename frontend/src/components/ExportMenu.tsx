// Export a thread (issue 20): the conversation and every cell as a notebook, a script, an HTML report or
// Markdown (issue 19).

const FORMATS: [string, string, string][] = [
  ["ipynb", "Notebook (.ipynb)", "Jupyter notebook with every cell, its outputs and the datasets' versions"],
  ["py", "Python script (.py)", "The cells as a script (percent cells), each value printed"],
  ["html", "HTML report (.html)", "The chat and the outputs in one self-contained page"],
  ["md", "Markdown (.md)", "The conversation, each cell's code and output, and the files made, as Markdown"],
];

export function exportUrl(threadId: string, format: string): string {
  return `/api/threads/${encodeURIComponent(threadId)}/export?format=${format}`;
}

export function ExportMenu({ threadId, touch }: { threadId: string; touch: string }) {
  return (
    <details className="relative">
      <summary
        className={`flex cursor-pointer list-none items-center [&::-webkit-details-marker]:hidden justify-center rounded-md px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800 ${touch}`}
        title="Export this thread"
      >
        Export
      </summary>
      <ul className="absolute right-0 z-20 mt-1 w-60 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        {FORMATS.map(([format, label, help]) => (
          <li key={format}>
            <a
              href={exportUrl(threadId, format)}
              download
              title={help}
              className="block min-h-11 rounded px-3 py-2 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
