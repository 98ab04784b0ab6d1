// Sends a message, reads the SSE stream into RunState, and recovers when the connection drops:
// the run goes on server-side, so we poll the thread state until it is reachable and idle again.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError, toApiError } from "../api/client";
import { keys } from "../api/hooks";
import type { ChatEvent, Message, ThreadState } from "../api/types";
import { readSSE } from "./sse";
import { applyEvent, idleRun, type RunState } from "./run";

export type Connection = "ok" | "lost";

const POLL_MS = 1500;

export function useChatRun(threadId: string | null, { pollMs = POLL_MS }: { pollMs?: number } = {}) {
  const qc = useQueryClient();
  const [state, setState] = useState<RunState>(idleRun);
  const [connection, setConnection] = useState<Connection>("ok");
  const [remoteRunning, setRemoteRunning] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const threadRef = useRef(threadId);
  threadRef.current = threadId;

  const refreshThread = useCallback(
    async (id: string) => {
      await Promise.all([
        qc.refetchQueries({ queryKey: keys.messages(id) }),
        qc.invalidateQueries({ queryKey: keys.artifacts(id) }),
        qc.invalidateQueries({ queryKey: keys.executions(id) }),
        qc.invalidateQueries({ queryKey: keys.state(id) }),
        qc.invalidateQueries({ queryKey: ["threads"] }),
      ]);
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
            setRemoteRunning(false);
            await refreshThread(id);
            setState((s) => ({ ...s, running: false, segments: [], stored: [], pendingUser: null }));
            return;
          }
          setRemoteRunning(true);
          await qc.refetchQueries({ queryKey: keys.messages(id) });
        } catch (err) {
          if (signal.aborted) return;
          if (!(err instanceof ApiError)) setConnection("lost");
          else if (err.status === 404) return;
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    [qc, refreshThread, pollMs],
  );

  // On opening a thread: reset, and follow a run that is already going.
  useEffect(() => {
    abortRef.current?.abort();
    setState(idleRun);
    setConnection("ok");
    setRemoteRunning(false);
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

  const send = useCallback(
    async (content: string) => {
      const id = threadId;
      if (!id || !content.trim()) return;
      const ctrl = new AbortController();
      abortRef.current = ctrl;
      setState((s) => ({ ...idleRun, context: s.context, running: true, pendingUser: content }));
      let res: Response;
      try {
        res = await fetch(`/api/threads/${id}/messages`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ content, client_message_id: crypto.randomUUID() }),
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
        setState((s) => ({ ...s, running: false, pendingUser: null, error: { code: err.code, message: err.message } }));
        if (err.code === "RUN_IN_PROGRESS") void follow(id, ctrl.signal);
        return;
      }
      try {
        await readSSE(
          res.body,
          (e) => {
            let data: unknown;
            try {
              data = JSON.parse(e.data);
            } catch {
              return;
            }
            const ev = { event: e.event, data } as ChatEvent;
            if (ev.event === "message" && ev.data.message.role === "user") {
              qc.setQueryData<Message[]>(keys.messages(id), (old) => [...(old ?? []), ev.data.message]);
              setState((s) => ({ ...s, pendingUser: null }));
              return;
            }
            setState((s) => applyEvent(s, ev));
          },
          ctrl.signal,
        );
      } catch {
        if (ctrl.signal.aborted) return;
        setConnection("lost");
        void follow(id, ctrl.signal);
        return;
      }
      if (ctrl.signal.aborted) return;
      await refreshThread(id);
      setState((s) => ({ ...s, running: false, segments: [], stored: [], pendingUser: null }));
    },
    [threadId, qc, follow, refreshThread],
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

  return { state, connection, running: state.running || remoteRunning, send, stop, dismissError };
}
