// Keyboard shortcuts. Plain keys (`/`, `?`) never fire while typing in a field; the ones with Ctrl/⌘ do,
// since a modifier cannot be typed by accident.

export type ShortcutAction = "new" | "focus" | "stop" | "search" | "help";

export interface Shortcut {
  action: ShortcutAction;
  keys: string;
  label: string;
}

const mac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = mac ? "⌘" : "Ctrl";

export const SHORTCUTS: Shortcut[] = [
  { action: "new", keys: `${mod}+Shift+O`, label: "New thread" },
  { action: "focus", keys: "/  or  Shift+Esc", label: "Focus the message box" },
  { action: "stop", keys: `${mod}+.`, label: "Stop the running answer" },
  { action: "search", keys: `${mod}+K`, label: "Search threads and messages" },
  { action: "help", keys: `?  or  ${mod}+/`, label: "Show these shortcuts" },
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The shortcut a key press means, or null (then the key goes on as usual). */
export function shortcutFor(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey" | "target">): ShortcutAction | null {
  if (e.altKey) return null;
  const withMod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (withMod) {
    if (e.shiftKey && key === "o") return "new";
    if (!e.shiftKey && key === "k") return "search";
    if (key === ".") return "stop";
    if (key === "/") return "help";
    return null;
  }
  if (e.shiftKey && e.key === "Escape") return "focus";
  if (typing(e.target)) return null;
  if (e.key === "/") return "focus";
  if (e.key === "?") return "help";
  return null;
}
