import { describe, expect, it } from "vitest";
import type { Message } from "../api/types";
import { pickVersions } from "./versions";

const msg = (id: string, role: string, content: string, meta: Record<string, unknown> | null = null) =>
  ({ id, role, content, meta, tool_calls: null, artifacts: [], created_at: "", run_id: null }) as unknown as Message;

const history = [
  msg("u1", "user", "first"),
  msg("a1", "assistant", "answer 1"),
  msg("u2", "user", "second"),
  msg("a2", "assistant", "answer 2"),
  msg("u3", "user", "second", { replaces: "u2", resend: "regenerate" }),
  msg("a3", "assistant", "answer 2 again"),
  msg("u4", "user", "second, edited", { replaces: "u3", resend: "edit" }),
  msg("a4", "assistant", "answer to the edit"),
];

describe("pickVersions", () => {
  it("shows the newest version of a replaced exchange, saying which of how many", () => {
    const { shown, versions } = pickVersions(history);
    expect(shown.map((m) => m.id)).toEqual(["u1", "a1", "u4", "a4"]);
    expect(versions.get("u4")).toEqual({ slot: "u2", index: 2, count: 3 });
    expect(versions.has("u1")).toBe(false);
  });

  it("shows an earlier version when chosen; the old answer is still there", () => {
    const { shown, versions } = pickVersions(history, { u2: 0 });
    expect(shown.map((m) => m.content)).toEqual(["first", "answer 1", "second", "answer 2"]);
    expect(versions.get("u2")).toEqual({ slot: "u2", index: 0, count: 3 });
  });

  it("leaves a history without resends as it is", () => {
    const plain = history.slice(0, 4);
    expect(pickVersions(plain).shown).toEqual(plain);
    expect(pickVersions(plain).versions.size).toBe(0);
  });
});
