// Threads start lazily, on their first message: the home page's composer creates the thread and its message
// goes out as soon as the thread exists. Messages typed while it is being created wait in a queue; when the
// user has moved on by then, they are sent in the background, so none is dropped.
import { api, csrfHeaders, toApiError } from "../api/client";
import type { Thread } from "../api/types";
import { addPending, movePending, NEW_SCOPE, removePending, restoreDraft, type PendingMessage } from "./drafts";
import { readSSE } from "./sse";

interface Start {
  queue: PendingMessage[];
  threadId: string | null;
}

const starts = new Map<string, Start>();
const handoffs = new Map<string, PendingMessage[]>();

export function titleOf(text: string): string {
  return text.trim().split("\n")[0].slice(0, 80) || "New thread";
}

export interface StartHooks {
  /** Whether the home page `home` is still the one on screen. */
  isCurrent: (home: string) => boolean;
  /** Open the new thread (it takes its queued messages with takeHandoff). */
  open: (threadId: string) => void;
  onError: (err: unknown) => void;
}

/** A message typed on the home page `home` (an id per visit): the first creates the thread, the others queue behind it. */
export function sendFromHome(home: string, text: string, hooks: StartHooks) {
  const item: PendingMessage = { id: crypto.randomUUID(), text };
  const start = starts.get(home);
  if (start?.threadId) {
    addPending(start.threadId, item);
    const waiting = handoffs.get(start.threadId);
    if (waiting) waiting.push(item);
    else void sendInBackground(start.threadId, [item]);
    return;
  }
  addPending(NEW_SCOPE, item);
  if (start) {
    start.queue.push(item);
    return;
  }
  const fresh: Start = { queue: [item], threadId: null };
  starts.set(home, fresh);
  api<Thread>("/api/threads", { method: "POST", json: { title: titleOf(text) } }).then(
    (thread) => {
      fresh.threadId = thread.id;
      const queue = fresh.queue;
      movePending(NEW_SCOPE, thread.id, queue.map((p) => p.id));
      if (hooks.isCurrent(home)) {
        handoffs.set(thread.id, queue);
        hooks.open(thread.id);
      } else void sendInBackground(thread.id, queue);
    },
    (err) => {
      starts.delete(home);
      for (const p of fresh.queue) {
        removePending(NEW_SCOPE, p.id);
        restoreDraft(NEW_SCOPE, p.text);
      }
      hooks.onError(err);
    },
  );
}

/** The queued messages of a thread just opened from the home page (once). */
export function takeHandoff(threadId: string): PendingMessage[] {
  const items = handoffs.get(threadId) ?? [];
  handoffs.delete(threadId);
  return items;
}

/** Send messages one after the other, each run read to its end; a refused one goes back to its draft. */
export async function sendInBackground(threadId: string, items: PendingMessage[]) {
  for (const item of items) {
    try {
      const res = await fetch(`/api/threads/${threadId}/messages`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...csrfHeaders("POST") },
        body: JSON.stringify({ content: item.text, client_message_id: item.id }),
      });
      if (!res.ok || !res.body) {
        await toApiError(res);
        removePending(threadId, item.id);
        restoreDraft(threadId, item.text);
        continue;
      }
      await readSSE(res.body, (e) => {
        if (e.event === "message" && isUserMessage(e.data)) removePending(threadId, item.id);
      });
    } catch {
      /* the connection dropped: the message stays pending and comes back into the box on the next visit */
    }
  }
}

export function isUserMessage(data: string): boolean {
  try {
    return (JSON.parse(data) as { message?: { role?: string } }).message?.role === "user";
  } catch {
    return false;
  }
}
