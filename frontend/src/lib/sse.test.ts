import { describe, expect, it } from "vitest";
import { readSSE, SSEParser, type SSEEvent } from "./sse";

const STREAM =
  ": keepalive\n\n" +
  'event: run_started\ndata: {"run_id":"r1"}\n\n' +
  'event: token\ndata: {"text":"Ciao, perché è così? 🚲"}\n\n' +
  'event: tool_output\r\ndata: {"tool_call_id":"c1","stream":"stdout","text":"a\\nb"}\r\n\r\n' +
  "event: multi\ndata: line1\ndata: line2\n\n" +
  'event: done\ndata: {"run_id":"r1"}\n\n';

const EXPECTED: Array<[string, string]> = [
  ["run_started", '{"run_id":"r1"}'],
  ["token", '{"text":"Ciao, perché è così? 🚲"}'],
  ["tool_output", '{"tool_call_id":"c1","stream":"stdout","text":"a\\nb"}'],
  ["multi", "line1\nline2"],
  ["done", '{"run_id":"r1"}'],
];

function parseChunks(chunks: Uint8Array[]): Array<[string, string]> {
  const p = new SSEParser();
  const out: SSEEvent[] = [];
  for (const c of chunks) out.push(...p.feed(c));
  out.push(...p.end());
  return out.map((e) => [e.event, e.data]);
}

describe("SSEParser", () => {
  const bytes = new TextEncoder().encode(STREAM);

  it("parses a stream delivered in one chunk", () => {
    expect(parseChunks([bytes])).toEqual(EXPECTED);
  });

  it("keeps events whole when the stream is split at every possible byte boundary", () => {
    // Regression: the original reader dropped events split across network chunks.
    for (let i = 1; i < bytes.length; i++) {
      expect(parseChunks([bytes.slice(0, i), bytes.slice(i)]), `split at byte ${i}`).toEqual(EXPECTED);
    }
  });

  it("keeps events whole when every byte arrives in its own chunk", () => {
    expect(parseChunks(Array.from(bytes, (b) => new Uint8Array([b])))).toEqual(EXPECTED);
  });

  it("delivers a last event that has no trailing blank line", () => {
    const p = new SSEParser();
    expect(p.feed('event: done\ndata: {"run_id":"x"}')).toEqual([]);
    expect(p.end().map((e) => e.event)).toEqual(["done"]);
  });
});

describe("readSSE", () => {
  it("reads a ReadableStream of three-byte chunks", async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const seen: Array<[string, string]> = [];
    await readSSE(body, (e) => seen.push([e.event, e.data]));
    expect(seen).toEqual(EXPECTED);
  });
});
