import type { SearchMatch } from "../api/types";

export interface Segment {
  text: string;
  hit: boolean;
}

/** `text` cut into plain and hit segments by `ranges` ([start, end) in code points, as the server counts).
 * Ranges out of order, overlapping or past the end are clipped, never thrown on. */
export function highlight(text: string, ranges: readonly (readonly [number, number])[]): Segment[] {
  const chars = Array.from(text); // code points, so an emoji before a hit does not shift it
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Segment[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of sorted) {
    const start = Math.max(at, Math.min(rawStart, chars.length));
    const end = Math.max(start, Math.min(rawEnd, chars.length));
    if (start > at) out.push({ text: chars.slice(at, start).join(""), hit: false });
    if (end > start) out.push({ text: chars.slice(start, end).join(""), hit: true });
    at = Math.max(at, end);
  }
  if (at < chars.length) out.push({ text: chars.slice(at).join(""), hit: false });
  return out;
}

/** Where a searched thread matched: the text around the first hit with the hits marked. Rendered as
 * React text nodes only, so whatever a message holds stays text. A title hit shows nothing more: the
 * title above is the match. */
export function MatchSnippet({ match }: { match: SearchMatch }) {
  if (match.field === "title") return null;
  return (
    <div className="line-clamp-2 text-[11px] text-slate-600 dark:text-slate-400" data-testid="thread-match">
      {match.earlier_version && <span className="mr-1 italic">earlier version:</span>}
      {highlight(match.text, match.ranges).map((s, i) =>
        s.hit ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-slate-900 dark:bg-amber-700/60 dark:text-white">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </div>
  );
}
