import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
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

/** Run cells with the streaming /execute: output shows as it comes; `interrupt` closes the connection, which
 * interrupts the cell on the server (variables kept). */
export function useCellRun(threadId: string, run: typeof executeStream = executeStream) {
  const qc = useQueryClient();
  const [cell, setCell] = useState<CellRun>({ state: "idle" });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []); // leaving the panel stops its cell, as closing the tab does

  const start = useCallback(
    async (code: string) => {
      if (abort.current) return;
      const controller = new AbortController();
      abort.current = controller;
      const out = { stdout: "", stderr: "" };
      setCell({ state: "running", code, ...out });
      const onOutput = (c: CellChunk) => {
        out[c.stream] += c.text;
        setCell({ state: "running", code, ...out });
      };
      try {
        const result = await run(threadId, code, { onOutput, signal: controller.signal });
        setCell({ state: "done", code, result });
      } catch (err) {
        if (controller.signal.aborted) setCell({ state: "interrupted", code, ...out });
        else setCell({ state: "failed", code, message: err instanceof Error ? err.message : String(err) });
      } finally {
        abort.current = null;
        qc.invalidateQueries({ queryKey: ["files", threadId] });
        qc.invalidateQueries({ queryKey: keys.executions(threadId) });
        qc.invalidateQueries({ queryKey: keys.artifacts(threadId) });
      }
    },
    [qc, run, threadId],
  );
  const interrupt = useCallback(() => abort.current?.abort(), []);
  return { cell, start, interrupt, running: cell.state === "running" };
}
