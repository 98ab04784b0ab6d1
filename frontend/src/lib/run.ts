// The live state of one chat run, built from stream events by a pure reducer (easy to test).
import type { Artifact, ChatEvent, ContextUsage, Message } from "../api/types";
import { linkOf, type ToolLink } from "./links";

export interface LiveTool {
  id: string;
  name: string;
  args: Record<string, unknown>;
  output: string;
  done: boolean;
  ok?: boolean;
  summary?: string;
  artifacts: Artifact[];
  link?: ToolLink;
}

export type Segment = { kind: "text"; text: string } | { kind: "tool"; tool: LiveTool };

export interface RunState {
  running: boolean;
  runId: string | null;
  pendingUser: string | null;
  segments: Segment[];
  stored: Message[];
  error: { code: string; message: string } | null;
  context: ContextUsage | null;
  stopped: boolean;
  /** Issue 15: the report draft the run paused on, waiting for the user's approval. */
  approval: string | null;
}

export const idleRun: RunState = {
  running: false,
  runId: null,
  pendingUser: null,
  segments: [],
  stored: [],
  error: null,
  context: null,
  stopped: false,
  approval: null,
};

function updateTool(segments: Segment[], id: string, fn: (t: LiveTool) => LiveTool): Segment[] {
  return segments.map((s) => (s.kind === "tool" && s.tool.id === id ? { kind: "tool", tool: fn(s.tool) } : s));
}

export function applyEvent(state: RunState, ev: ChatEvent): RunState {
  switch (ev.event) {
    case "run_started":
      return { ...state, running: true, runId: ev.data.run_id };
    case "token": {
      const last = state.segments[state.segments.length - 1];
      if (last?.kind === "text") {
        return { ...state, segments: [...state.segments.slice(0, -1), { kind: "text", text: last.text + ev.data.text }] };
      }
      return { ...state, segments: [...state.segments, { kind: "text", text: ev.data.text }] };
    }
    case "tool_start": {
      const exists = state.segments.some((s) => s.kind === "tool" && s.tool.id === ev.data.tool_call_id);
      if (exists) {
        return { ...state, segments: updateTool(state.segments, ev.data.tool_call_id, (t) => ({ ...t, args: ev.data.args ?? t.args })) };
      }
      const tool: LiveTool = {
        id: ev.data.tool_call_id,
        name: ev.data.name,
        args: ev.data.args ?? {},
        output: "",
        done: false,
        artifacts: [],
      };
      return { ...state, segments: [...state.segments, { kind: "tool", tool }] };
    }
    case "tool_output":
      return {
        ...state,
        segments: updateTool(state.segments, ev.data.tool_call_id, (t) => ({ ...t, output: t.output + ev.data.text })),
      };
    case "tool_end":
      return {
        ...state,
        segments: updateTool(state.segments, ev.data.tool_call_id, (t) => ({
          ...t,
          done: true,
          ok: ev.data.ok,
          summary: ev.data.summary,
        })),
      };
    case "artifact": {
      const a = ev.data.artifact;
      const owner = a.tool_call_id ?? lastToolId(state.segments);
      if (!owner) return state;
      return { ...state, segments: updateTool(state.segments, owner, (t) => ({ ...t, artifacts: [...t.artifacts, a] })) };
    }
    case "context":
      return { ...state, context: ev.data };
    case "message": {
      const m = ev.data.message;
      const link = m.role === "tool" && m.tool_call_id ? linkOf(m.meta) : undefined;
      const segments = link && m.tool_call_id ? updateTool(state.segments, m.tool_call_id, (t) => ({ ...t, link })) : state.segments;
      return { ...state, segments, stored: [...state.stored, m] };
    }
    case "answer_check": {
      // issue 15: the answer just streamed was sent back to the analyst; its text was a draft
      const last = state.segments[state.segments.length - 1];
      return last?.kind === "text" ? { ...state, segments: state.segments.slice(0, -1) } : state;
    }
    case "review": {
      // issue 15: the reviewer sent the answer just streamed back to the analyst; its text was a draft
      if (ev.data.review.verdict !== "revise") return state;
      const last = state.segments[state.segments.length - 1];
      return last?.kind === "text" ? { ...state, segments: state.segments.slice(0, -1) } : state;
    }
    case "approval_required":
      return { ...state, approval: ev.data.draft };
    case "error":
      return { ...state, error: ev.data };
    case "done":
      return { ...state, running: false };
    default:
      return state;
  }
}

function lastToolId(segments: Segment[]): string | null {
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (s.kind === "tool") return s.tool.id;
  }
  return null;
}
