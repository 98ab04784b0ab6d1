// Domain types. Thread/config types come from the generated OpenAPI schema; the rest follow
// ../shared/design/API.md and are widened where the backend adds fields.
import type { components } from "./schema";

type S = components["schemas"];
export type Thread = S["ThreadOut"];
export type ThreadConfig = S["ThreadConfig"];
export type ThreadList = S["ThreadList"];
export type ConfigDefaults = S["ConfigDefaults"];

export interface Artifact {
  id: string;
  thread_id: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: string;
  url: string;
  execution_id?: string | null;
  tool_call_id?: string | null;
}

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export interface Message {
  id: string;
  role: "user" | "assistant" | "tool";
  content: string;
  tool_calls?: ToolCall[] | null;
  tool_call_id?: string | null;
  tool_name?: string | null;
  name?: string | null;
  meta?: Record<string, unknown> | null;
  artifacts: Artifact[];
  created_at: string;
}

export interface RichOutput {
  mime: string;
  data: string;
}

export interface ExecutionResult {
  id: string;
  ok: boolean;
  stdout: string;
  stderr: string;
  outputs: RichOutput[];
  error: { name: string; value: string; traceback: string | string[] } | null;
  artifacts: Artifact[];
  duration_ms: number;
  code?: string;
  source?: string;
  created_at?: string;
  notes?: string[];
}

export interface DatasetItem {
  id: string;
  title: string;
  description: string | null;
  source: "opendata" | "store";
  records_count: number | null;
  is_geo: boolean;
  modified_at: string | null;
}

export interface DatasetField {
  name: string;
  label: string | null;
  type: string | null;
  description: string | null;
}

export interface DatasetDetail extends DatasetItem {
  fields: DatasetField[];
  time_coverage: { field: string; start: string; end: string } | null;
  geo: { fields: string[]; bbox: number[] | null } | null;
  license: string | null;
  publisher: string | null;
}

export interface Preview {
  columns: string[];
  rows: unknown[][];
}

export interface ThreadState {
  context: { tokens_used: number; context_window: number };
  running: boolean;
  [key: string]: unknown;
}

export interface ContextUsage {
  tokens_used: number;
  context_window: number;
}

/** Events of the chat stream (API.md "Chat"). */
export type ChatEvent =
  | { event: "run_started"; data: { run_id: string } }
  | { event: "token"; data: { text: string } }
  | { event: "tool_start"; data: { tool_call_id: string; name: string; args: Record<string, unknown> } }
  | { event: "tool_output"; data: { tool_call_id: string; stream: string; text: string } }
  | { event: "tool_end"; data: { tool_call_id: string; name: string; ok: boolean; summary: string } }
  | { event: "artifact"; data: { artifact: Artifact } }
  | { event: "context"; data: ContextUsage }
  | { event: "message"; data: { message: Message } }
  | { event: "error"; data: { code: string; message: string } }
  | { event: "done"; data: { run_id: string } };
