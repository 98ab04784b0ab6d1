import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { executeStream, type CellChunk } from "../api/client";
import { keys } from "../api/hooks";
import type { ExecutionResult } from "../api/types";

/** The Notebook panel's cell: what runs now (its output so far), and how the last run ended. */
export type CellRun =
  | { state: "idle" }
  | { state: "running"; code: string; stdout: string; stderr: string }
  | { state: "done"; code: string; result: ExecutionResult }
  | { state: "interrupted"; code: string; stdout: string; stderr: string }
  | { state: "failed"; code: string; message: string };

const IDLE: CellRun = { state: "idle" };
// per thread, outside the panel: switching to the chat and back neither stops a running cell nor loses its output
const runs = new Map<string, { cell: CellRun; abort: AbortController | null }>();
const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};
function put(threadId: string, cell: CellRun, abort: AbortController | null) {
  runs.set(threadId, { cell, abort });
  for (const l of listeners) l();
}

/** Run cells with the streaming /execute: output shows as it comes; `interrupt` closes the connection, which
 * interrupts the cell on the server (variables kept). */
export function useCellRun(threadId: string, run: typeof executeStream = executeStream) {
  const qc = useQueryClient();
  const cell = useSyncExternalStore(subscribe, () => runs.get(threadId)?.cell ?? IDLE);

  const start = useCallback(
    async (code: string) => {
      if (runs.get(threadId)?.abort) return;
      const controller = new AbortController();
      const out = { stdout: "", stderr: "" };
      put(threadId, { state: "running", code, ...out }, controller);
      const onOutput = (c: CellChunk) => {
        out[c.stream] += c.text;
        put(threadId, { state: "running", code, ...out }, controller);
      };
      try {
        const result = await run(threadId, code, { onOutput, signal: controller.signal });
        put(threadId, { state: "done", code, result }, null);
      } catch (err) {
        if (controller.signal.aborted) put(threadId, { state: "interrupted", code, ...out }, null);
        else put(threadId, { state: "failed", code, message: err instanceof Error ? err.message : String(err) }, null);
      } finally {
        qc.invalidateQueries({ queryKey: ["files", threadId] });
        qc.invalidateQueries({ queryKey: keys.executions(threadId) });
        qc.invalidateQueries({ queryKey: keys.artifacts(threadId) });
      }
    },
    [qc, run, threadId],
  );
  const interrupt = useCallback(() => runs.get(threadId)?.abort?.abort(), [threadId]);
  return { cell, start, interrupt, running: cell.state === "running" };
}
