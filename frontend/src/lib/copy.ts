// Copying to the clipboard, and a table as CSV (RFC 4180 quoting) for the "Copy as CSV" buttons.

/** Write text to the clipboard; falls back to a hidden text area where the Clipboard API is missing (plain http). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      return await navigator.clipboard.writeText(text);
    } catch {
      // permission refused or not a secure context: the fallback below still works on a click
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("The browser refused to copy");
}

function cell(v: unknown): string {
  const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: string[], rows: unknown[][]): string {
  return [columns, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}

/** A rendered table (e.g. a Markdown one in a message) as CSV: header row first, cells as shown. */
export function tableToCsv(table: HTMLTableElement): string {
  const rows = Array.from(table.rows).map((tr) => Array.from(tr.cells).map((c) => (c.textContent ?? "").trim()));
  const [head = [], ...body] = rows;
  return toCsv(head, body);
}
