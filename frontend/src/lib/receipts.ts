// Issue 15, receipts: an answer's figures become links to the cell that printed them; figures no tool output
// shows are marked. The server gives each figure's place in the message text (start/end).
import type { components } from "../api/schema";

export type Receipt = components["schemas"]["ReceiptOut"];
export type Unverified = components["schemas"]["UnverifiedOut"];

export const RECEIPT_HREF = "#receipt-";
export const UNVERIFIED_HREF = "#unverified-";
const OPEN_CELL = "lgurban:open-cell";

let pending: string | null = null; // a cell asked for before its card was on screen (a virtualized row)

/**
 * The Markdown with each figure wrapped as a link `[12,5 %](#receipt-0)` / `[99](#unverified-0)`, which the
 * Markdown view renders as a button or a mark. Figures out of range or overlapping are left as they are.
 */
export function markFigures(text: string, receipts: Receipt[] = [], unverified: Unverified[] = []): string {
  const marks = [
    ...receipts.map((r, i) => ({ start: r.start, end: r.end, href: `${RECEIPT_HREF}${i}` })),
    ...unverified.map((u, i) => ({ start: u.start, end: u.end, href: `${UNVERIFIED_HREF}${i}` })),
  ].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const m of marks) {
    if (m.start < at || m.end > text.length || m.end <= m.start) continue;
    const figure = text.slice(m.start, m.end);
    out += text.slice(at, m.start) + `[${figure.replace(/([\\[\]])/g, "\\$1")}](${m.href})`;
    at = m.end;
  }
  return out + text.slice(at);
}

/** Ask for the cell `executionId` to be shown: its card opens and scrolls into view (now or when it mounts). */
export function openCell(executionId: string): void {
  pending = executionId;
  window.dispatchEvent(new CustomEvent<string>(OPEN_CELL, { detail: executionId }));
}

/** Whether the cell was asked for before its card mounted (and forget the request). */
export function takePendingCell(executionId: string | null | undefined): boolean {
  if (!executionId || pending !== executionId) return false;
  pending = null;
  return true;
}

/** Call `fn` with the execution id of every cell asked for; returns the unsubscribe function. */
export function onOpenCell(fn: (executionId: string) => void): () => void {
  const listener = (e: Event) => fn((e as CustomEvent<string>).detail);
  window.addEventListener(OPEN_CELL, listener);
  return () => window.removeEventListener(OPEN_CELL, listener);
}

export function receiptTitle(r: Receipt): string {
  const data = r.dataset_ids?.length ? ` · dataset${r.dataset_ids.length > 1 ? "s" : ""} ${r.dataset_ids.join(", ")}` : "";
  const where = r.execution_id ? "Printed by a code cell: open it" : "From the dataset's metadata";
  return `${where}${data}`;
}

export const UNVERIFIED_TITLE = "Not verified: no tool output of this conversation shows this number";
