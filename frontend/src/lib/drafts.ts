// The composer's text, kept per thread in localStorage so nothing typed is lost: the draft (what is in the box)
// and the messages sent but not yet stored by the server (restored into the box after a reload).

/** The scope of the home page's composer, before its thread exists. */
export const NEW_SCOPE = "new";

/** This page load: a pending message of another page load was never confirmed and is restored. */
const SESSION = Math.random().toString(36).slice(2);

export interface PendingMessage {
  id: string; // the client_message_id it is sent with
  text: string;
  session?: string;
}

const draftKey = (scope: string) => `lgurban.draft.${scope}`;
const pendingKey = (scope: string) => `lgurban.pending.${scope}`;
const listeners = new Map<string, Set<(text: string) => void>>();

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown, empty: boolean) {
  try {
    if (empty) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the box still works, only the reload safety net is gone */
  }
}

export function loadDraft(scope: string): string {
  return read<string>(draftKey(scope), "");
}

export function saveDraft(scope: string, text: string) {
  write(draftKey(scope), text, !text);
}

export function loadPending(scope: string): PendingMessage[] {
  return read<PendingMessage[]>(pendingKey(scope), []);
}

function savePending(scope: string, items: PendingMessage[]) {
  write(pendingKey(scope), items, items.length === 0);
}

export function addPending(scope: string, item: PendingMessage) {
  savePending(scope, [...loadPending(scope).filter((p) => p.id !== item.id), { ...item, session: SESSION }]);
}

/** The server has stored it (or it was handed back to the box): forget it. */
export function removePending(scope: string, id: string) {
  savePending(scope, loadPending(scope).filter((p) => p.id !== id));
}

/** The home page's thread now exists: its pending messages move to it. */
export function movePending(from: string, to: string, ids: string[]) {
  const moving = loadPending(from).filter((p) => ids.includes(p.id));
  savePending(from, loadPending(from).filter((p) => !ids.includes(p.id)));
  savePending(to, [...loadPending(to), ...moving]);
}

/** What the box starts with: the draft, else messages an earlier page load sent and the server never stored. */
export function initialText(scope: string): string {
  const draft = loadDraft(scope);
  const lost = loadPending(scope).filter((p) => p.session !== SESSION);
  if (lost.length === 0) return draft;
  savePending(scope, loadPending(scope).filter((p) => p.session === SESSION));
  const text = [...lost.map((p) => p.text), draft].filter(Boolean).join("\n\n");
  saveDraft(scope, text);
  return text;
}

/** Put a message that was not stored back into the box (before what is there now). */
export function restoreDraft(scope: string, text: string) {
  const current = loadDraft(scope);
  const next = current && current !== text ? `${text}\n\n${current}` : text;
  saveDraft(scope, next);
  listeners.get(scope)?.forEach((fn) => fn(next));
}

export function onRestore(scope: string, fn: (text: string) => void): () => void {
  const set = listeners.get(scope) ?? new Set();
  set.add(fn);
  listeners.set(scope, set);
  return () => set.delete(fn);
}

/** A message given back to the box is being sent again (Retry): take it out of the box. */
export function takeBackDraft(scope: string, text: string) {
  const current = loadDraft(scope);
  if (!current.startsWith(text)) return;
  const next = current.slice(text.length).replace(/^\n\n/, "");
  saveDraft(scope, next);
  listeners.get(scope)?.forEach((fn) => fn(next));
}
