// Sends a message, reads the SSE stream into RunState, and recovers when the connection drops: the run
// goes on server-side, so we wait until the server answers again and re-attach to the running run's
// stream after the last event we saw (GET /runs/active/events?after=N); when nothing runs any more we
// reload the stored history.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError, csrfHeaders, toApiError } from "../api/client";
import { keys } from "../api/hooks";
import type { ChatEvent, Message, ThreadState } from "../api/types";
import { addPending, removePending, restoreDraft, takeBackDraft } from "./drafts";
import { readSSE, type SSEEvent } from "./sse";
import { applyEvent, idleRun, type RunState } from "./run";

export type Connection = "ok" | "lost";

const POLL_MS = 1500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function useChatRun(threadId: string | null, { pollMs = POLL_MS }: { pollMs?: number } = {}) {
  const qc = useQueryClient();
  const [state, setState] = useState<RunState>(idleRun);
  const [connection, setConnection] = useState<Connection>("ok");
  const abortRef = useRef<AbortController | null>(null);
  const lastEventId = useRef(0);
  const threadRef = useRef(threadId);
  const lastSent = useRef<{ id: string; text: string } | null>(null);
  threadRef.current = threadId;

  const refreshThread = useCallback(
    async (id: string) => {
      await Promise.all([
        qc.refetchQueries({ queryKey: keys.messages(id) }),
        qc.invalidateQueries({ queryKey: keys.artifacts(id) }),
        qc.invalidateQueries({ queryKey: keys.executions(id) }),
        qc.invalidateQueries({ queryKey: keys.state(id) }),
        qc.invalidateQueries({ queryKey: ["threads"] }),
        qc.invalidateQueries({ queryKey: keys.thread(id) }),
      ]);
    },
    [qc],
  );

  const finish = useCallback(
    async (id: string) => {
      await refreshThread(id);
      setState((s) => ({ ...s, running: false, segments: [], stored: [], pendingUser: null }));
    },
    [refreshThread],
  );

  /** Apply one SSE event of the run stream. */
  const onEvent = useCallback(
    (id: string, e: SSEEvent) => {
      if (e.id && /^\d+$/.test(e.id)) lastEventId.current = Number(e.id);
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      const ev = { event: e.event, data } as ChatEvent;
      if (ev.event === "message" && ev.data.message.role === "user") {
        qc.setQueryData<Message[]>(keys.messages(id), (old) =>
          old?.some((m) => m.id === ev.data.message.id) ? old : [...(old ?? []), ev.data.message],
        );
        if (lastSent.current) removePending(id, lastSent.current.id); // stored: the draft is safe to forget
        setState((s) => ({ ...s, pendingUser: null }));
        return;
      }
      setState((s) => applyEvent(s, ev));
    },
    [qc],
  );

  // Follow a run we are not streaming (after a reload, a thread switch or a lost connection).
  const follow = useCallback(
    async (id: string, signal: AbortSignal) => {
      for (;;) {
        if (signal.aborted || threadRef.current !== id) return;
        try {
          const st = await api<ThreadState>(`/api/threads/${id}/state`, { signal });
          setConnection("ok");
          if (st.context) setState((s) => ({ ...s, context: st.context }));
          if (!st.running) {
            await finish(id);
            return;
          }
          setState((s) => ({ ...s, running: true }));
          const res = await fetch(`/api/threads/${id}/runs/active/events?after=${lastEventId.current}`, {
            headers: { Accept: "text/event-stream" },
            signal,
          });
          if (res.status === 200 && res.body) {
            await readSSE(res.body, (e) => onEvent(id, e), signal);
            if (!signal.aborted) await finish(id);
            return;
          }
          if (res.status !== 204) await qc.refetchQueries({ queryKey: keys.messages(id) });
        } catch (err) {
          if (signal.aborted) return;
          if (!(err instanceof ApiError)) setConnection("lost");
          else if (err.status === 404) return;
        }
        await sleep(pollMs);
      }
    },
    [qc, finish, onEvent, pollMs],
  );

  // On opening a thread: reset, and follow a run that is already going.
  useEffect(() => {
    abortRef.current?.abort();
    setState(idleRun);
    setConnection("ok");
    lastEventId.current = 0;
    if (!threadId) return;
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    api<ThreadState>(`/api/threads/${threadId}/state`, { signal: ctrl.signal })
      .then((st) => {
        if (st.context) setState((s) => ({ ...s, context: st.context }));
        if (st.running) void follow(threadId, ctrl.signal);
      })
      .catch(() => {});
    return () => ctrl.abort();
  }, [threadId, follow]);

  /** POST that starts a run and read its stream; `onRefused` when the server did not start it. */
  const run = useCallback(
    async (id: string, url: string, body: unknown, pendingUser: string | null, onRefused: () => void) => {
      abortRef.current?.abort();
      const ctrl = new AbortController();
      abortRef.current = ctrl;
      lastEventId.current = 0;
      setState((s) => ({ ...idleRun, context: s.context, running: true, pendingUser }));
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...csrfHeaders("POST") },
          body: JSON.stringify(body),
          signal: ctrl.signal,
        });
      } catch {
        if (ctrl.signal.aborted) return;
        setConnection("lost");
        void follow(id, ctrl.signal);
        return;
      }
      if (!res.ok || !res.body) {
        const err = await toApiError(res);
        onRefused();
        setState((s) => ({ ...s, running: false, pendingUser: null, error: { code: err.code, message: err.message } }));
        if (err.code === "RUN_IN_PROGRESS") void follow(id, ctrl.signal);
        return;
      }
      try {
        await readSSE(res.body, (e) => onEvent(id, e), ctrl.signal);
      } catch {
        if (ctrl.signal.aborted) return;
        setConnection("lost");
        void follow(id, ctrl.signal);
        return;
      }
      if (ctrl.signal.aborted) return;
      await finish(id);
    },
    [follow, onEvent, finish],
  );

  const send = useCallback(
    async (content: string, clientMessageId?: string) => {
      const id = threadId;
      if (!id || !content.trim()) return;
      const pending = { id: clientMessageId ?? crypto.randomUUID(), text: content };
      lastSent.current = pending;
      addPending(id, pending); // kept in localStorage until the server has stored it
      await run(id, `/api/threads/${id}/messages`, { content, client_message_id: pending.id }, content, () => {
        // not stored: the text goes back into the box instead of vanishing
        removePending(id, pending.id);
        restoreDraft(id, content);
      });
    },
    [threadId, run],
  );

  /** Issue 19: a new answer to the last question, or the last question edited and sent again (new runs). */
  const resend = useCallback(
    async (action: "regenerate" | "edit", messageId: string, content?: string) => {
      const id = threadId;
      if (!id) return;
      lastSent.current = null;
      const body = action === "edit" ? { content, client_message_id: crypto.randomUUID() } : { client_message_id: crypto.randomUUID() };
      await run(id, `/api/threads/${id}/messages/${messageId}/${action}`, body, action === "edit" ? content ?? null : null, () => {});
    },
    [threadId, run],
  );

  /** Issue 15: answer the report draft the thread waits on (a new run; `edit` shows the new draft again). */
  const resume = useCallback(
    async (decision: "approve" | "edit" | "reject", text?: string) => {
      const id = threadId;
      if (!id) return;
      lastSent.current = null;
      await run(id, `/api/threads/${id}/runs/resume`, decision === "edit" ? { decision, text } : { decision }, null, () => {});
    },
    [threadId, run],
  );

  const stop = useCallback(async () => {
    if (!threadId) return;
    setState((s) => ({ ...s, stopped: true }));
    try {
      await api(`/api/threads/${threadId}/runs/cancel`, { method: "POST" });
    } catch (err) {
      if (err instanceof ApiError) setState((s) => ({ ...s, error: { code: err.code, message: err.message } }));
    }
  }, [threadId]);

  const dismissError = useCallback(() => setState((s) => ({ ...s, error: null })), []);

  /** Send the last message again (after an error retrying can fix). */
  const retry = useCallback(async () => {
    const last = lastSent.current;
    if (!last || !threadId) return;
    takeBackDraft(threadId, last.text); // the box got it back on a refusal: it is being sent now
    await send(last.text);
  }, [threadId, send]);

  return { state, connection, running: state.running, send, resend, resume, stop, dismissError, retry };
}
