import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useChatRun } from "./useChatRun";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function wrapper() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>;
}

/** A response body that sends `text` and then fails, like a dropped connection. */
function brokenStream(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      setTimeout(() => controller.error(new TypeError("network error")), 5);
    },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("useChatRun", () => {
  it("streams tokens, then re-attaches after the connection drops", async () => {
    let stateCalls = 0;
    const attachUrls: string[] = [];
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith("/messages") && init?.method === "POST") {
        return new Response(brokenStream('id: 1\nevent: run_started\ndata: {"type":"run_started","agent":"analyst","run_id":"r"}\n\nid: 2\nevent: token\ndata: {"type":"token","agent":"analyst","text":"Hel"}\n\nid: 3\nevent: tok'), {
          headers: { "Content-Type": "text/event-stream" },
        });
      }
      if (url.endsWith("/state")) {
        stateCalls += 1;
        if (stateCalls === 1) return json({ running: false, context: { tokens_used: 0, context_window: 1000 } });
        if (stateCalls === 2) throw new TypeError("Failed to fetch");
        if (stateCalls === 3) return json({ running: true, context: { tokens_used: 10, context_window: 1000 } });
        return json({ running: false, context: { tokens_used: 20, context_window: 1000 } });
      }
      if (url.includes("/runs/active/events")) {
        attachUrls.push(url);
        // the re-attached stream replays what was missed, then the run ends
        return new Response('id: 3\nevent: token\ndata: {"type":"token","agent":"analyst","text":"lo"}\n\nid: 4\nevent: done\ndata: {"type":"done","agent":"analyst","run_id":"r","status":"done"}\n\n', {
          headers: { "Content-Type": "text/event-stream" },
        });
      }
      if (url.endsWith("/messages")) return json({ items: [] });
      return json({ items: [] });
    });
    vi.stubGlobal("fetch", fetchMock);
    const { result } = renderHook(() => useChatRun("t1", { pollMs: 10 }), { wrapper: wrapper() });
    await waitFor(() => expect(stateCalls).toBe(1));

    await act(async () => {
      await result.current.send("hello");
    });
    await waitFor(() => expect(result.current.connection).toBe("lost"));
    await waitFor(() => expect(result.current.connection).toBe("ok"));
    await waitFor(() => expect(result.current.running).toBe(false));
    // re-attached after the last complete event it had seen
    expect(attachUrls).toEqual(["/api/threads/t1/runs/active/events?after=2"]);
    expect(result.current.state.context).toEqual({ tokens_used: 10, context_window: 1000 });
    expect(stateCalls).toBe(3);
  });

  it("shows the server's error when the model is not configured", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url.endsWith("/messages") && init?.method === "POST") {
          return json({ error: { code: "MODEL_NOT_CONFIGURED", message: "set OPENAI_API_KEY" } }, 503);
        }
        return json({ running: false, context: { tokens_used: 0, context_window: 1000 } });
      }),
    );
    const { result } = renderHook(() => useChatRun("t1", { pollMs: 10 }), { wrapper: wrapper() });
    await act(async () => {
      await result.current.send("hello");
    });
    expect(result.current.state.error).toEqual({ code: "MODEL_NOT_CONFIGURED", message: "set OPENAI_API_KEY" });
    expect(result.current.running).toBe(false);
  });
});
