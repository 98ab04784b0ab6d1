// Domain types. Thread/config types come from the generated OpenAPI schema; the rest follow
// ../shared/design/API.md and are widened where the backend adds fields.
import type { components } from "./schema";

type S = components["schemas"];
export type Thread = S["ThreadOut"];
export type ThreadConfig = S["ThreadConfig"];
export type ThreadList = S["ThreadList"];
export type ConfigDefaults = S["ConfigDefaults"];

/** An artifact; the stream's `artifact` event also names the tool call that made it. */
export type Artifact = S["ArtifactOut"] & { execution_id?: string | null; tool_call_id?: string | null };

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type Message = Omit<S["MessageOut"], "tool_calls" | "artifacts" | "role"> & {
  role: "user" | "assistant" | "tool";
  tool_calls?: ToolCall[] | null;
  artifacts: Artifact[];
  name?: string | null;
};

export type RichOutput = S["OutputOut"];

export type ExecutionResult = Omit<S["ExecutionOut"], "artifacts"> & { artifacts: Artifact[] };

export type DatasetItem = S["DatasetItem"];
export type DatasetList = S["DatasetList"];
export type DatasetField = S["FieldOut"];
export type DatasetDetail = S["DatasetDetail"];
export type Preview = S["Preview"];
export type DatasetLoaded = S["Loaded"];

export type ThreadState = S["StateOut"];
export type ContextUsage = S["ContextOut"];

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
