// Issue 19: an edited or regenerated question is a new user message whose meta.replaces names the one it
// replaces; the earlier exchange (that question and its answer) stays in the history. Here the stored
// messages become slots, each with its versions (exchanges), and one version per slot is shown.
import type { Message } from "../api/types";

export type VersionInfo = { slot: string; index: number; count: number };

type Exchange = { userId: string | null; messages: Message[] };

function replaces(m: Message): string | null {
  const v = (m.meta ?? {}) as Record<string, unknown>;
  return typeof v.replaces === "string" ? v.replaces : null;
}

/** The messages to show (`chosen`: slot id → version index; default the newest) and each shown question's version. */
export function pickVersions(
  messages: Message[],
  chosen: Record<string, number> = {},
): { shown: Message[]; versions: Map<string, VersionInfo> } {
  const exchanges: Exchange[] = [];
  for (const m of messages) {
    if (m.role === "user" || exchanges.length === 0) exchanges.push({ userId: m.role === "user" ? m.id : null, messages: [] });
    exchanges[exchanges.length - 1].messages.push(m);
  }
  const slots: Exchange[][] = [];
  const slotOf = new Map<string, number>(); // user message id → slot
  for (const ex of exchanges) {
    const first = ex.messages[0];
    const prior = first.role === "user" ? replaces(first) : null;
    const at = prior != null ? slotOf.get(prior) : undefined;
    if (at === undefined) slots.push([ex]);
    else slots[at].push(ex);
    if (ex.userId) slotOf.set(ex.userId, at ?? slots.length - 1);
  }
  const shown: Message[] = [];
  const versions = new Map<string, VersionInfo>();
  for (const slot of slots) {
    const id = slot[0].userId ?? `slot-${shown.length}`;
    const want = chosen[id];
    const index = want !== undefined && want >= 0 && want < slot.length ? want : slot.length - 1;
    const ex = slot[index];
    shown.push(...ex.messages);
    if (slot.length > 1 && ex.userId) versions.set(ex.userId, { slot: id, index, count: slot.length });
  }
  return { shown, versions };
}
