// Turn the stored messages into display rows: an assistant message carries its tool calls, each
// matched with the tool message that answered it (result, ok flag, artifacts).
import type { Artifact, Message, Review } from "../api/types";
import type { ToolCardData } from "../components/ToolCard";
import { linkOf } from "./links";
import type { Receipt, Unverified } from "./receipts";

export type Row =
  | { kind: "user"; id: string; text: string }
  // forkId: the last stored message the row shows (its tools' answers included): where "Fork from here" cuts
  // receipts / unverified: the figures of the message's text (issue 15)
  | {
      kind: "assistant";
      id: string;
      text: string;
      tools: ToolCardData[];
      forkId?: string;
      receipts?: Receipt[];
      unverified?: Unverified[];
      review?: Review | null; // the reviewer's scores of the answer (issue 15)
      artifacts?: Artifact[]; // files the message itself carries (issue 15: an approved report)
    };

export function toolOk(m: Message): boolean {
  const meta = m.meta ?? {};
  if (typeof meta.ok === "boolean") return meta.ok;
  return true;
}

export function buildRows(messages: Message[]): Row[] {
  const results = new Map<string, Message>();
  for (const m of messages) if (m.role === "tool" && m.tool_call_id) results.set(m.tool_call_id, m);
  const claimed = new Set<string>();
  const rows: Row[] = [];
  for (const m of messages) {
    if (m.role === "user") rows.push({ kind: "user", id: m.id, text: m.content });
    else if (m.role === "assistant") {
      let forkId = m.id;
      const tools = (m.tool_calls ?? []).map((tc) => {
        const r = results.get(tc.id);
        if (r) {
          claimed.add(tc.id);
          forkId = r.id;
        }
        return toolFrom(tc.id, tc.name, tc.args ?? {}, r);
      });
      rows.push({ kind: "assistant", id: m.id, text: m.content, tools, forkId, receipts: m.receipts, unverified: m.unverified, review: m.review, artifacts: m.artifacts?.length ? m.artifacts : undefined });
    } else if (m.role === "tool" && !(m.tool_call_id && claimed.has(m.tool_call_id))) {
      rows.push({ kind: "assistant", id: m.id, text: "", tools: [toolFrom(m.tool_call_id ?? m.id, m.tool_name ?? m.name ?? "tool", {}, m)], forkId: m.id });
    }
  }
  return rows;
}

function toolFrom(id: string, name: string, args: Record<string, unknown>, result: Message | undefined): ToolCardData {
  const meta = (result?.meta ?? {}) as Record<string, unknown>;
  const output = typeof meta.output === "string" ? meta.output : typeof meta.stdout === "string" ? meta.stdout : "";
  return {
    id,
    name,
    args,
    output,
    result: result?.content,
    ok: result ? toolOk(result) : undefined,
    executionId: typeof meta.execution_id === "string" ? meta.execution_id : undefined,
    done: true,
    artifacts: (result?.artifacts ?? []) as Artifact[],
    link: linkOf(meta),
  };
}
