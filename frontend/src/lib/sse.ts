// Server-Sent Events over fetch (the chat endpoint is a POST, so EventSource cannot be used).
// Bytes are decoded with a streaming TextDecoder and lines are buffered until complete, so an
// event split anywhere across network chunks — even inside a multi-byte character — arrives whole.

export interface SSEEvent {
  event: string;
  data: string;
  id?: string;
}

/** An incremental parser: feed it chunks, it returns the events completed so far. */
export class SSEParser {
  private decoder = new TextDecoder("utf-8");
  private buffer = "";
  private eventType = "";
  private dataLines: string[] = [];
  private lastId: string | undefined;
  private sawCR = false;

  feed(chunk: Uint8Array | string): SSEEvent[] {
    const text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.consume(text);
  }

  /** Flush at end of stream: a final event without its blank line is still delivered. */
  end(): SSEEvent[] {
    const out = this.consume(this.decoder.decode());
    if (this.buffer) {
      this.line(this.buffer, out);
      this.buffer = "";
    }
    this.dispatch(out);
    return out;
  }

  private consume(text: string): SSEEvent[] {
    const out: SSEEvent[] = [];
    let start = 0;
    const buf = this.buffer + text;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (c === "\n" && this.sawCR && i === start) {
        // the \n of a \r\n pair whose \r ended the previous line
        this.sawCR = false;
        start = i + 1;
        continue;
      }
      if (c === "\n" || c === "\r") {
        this.sawCR = c === "\r";
        this.line(buf.slice(start, i), out);
        start = i + 1;
      } else {
        this.sawCR = false;
      }
    }
    this.buffer = buf.slice(start);
    return out;
  }

  private line(line: string, out: SSEEvent[]): void {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line.startsWith(":")) return; // comment, e.g. keepalive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventType = value;
    else if (field === "data") this.dataLines.push(value);
    else if (field === "id") this.lastId = value;
  }

  private dispatch(out: SSEEvent[]): void {
    if (this.dataLines.length === 0 && !this.eventType) return;
    out.push({ event: this.eventType || "message", data: this.dataLines.join("\n"), id: this.lastId });
    this.eventType = "";
    this.dataLines = [];
  }
}

/** Read an SSE response body to its end, calling `onEvent` for each event. */
export async function readSSE(
  body: ReadableStream<Uint8Array>,
  onEvent: (e: SSEEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  const parser = new SSEParser();
  const abort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", abort);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const e of parser.feed(value)) onEvent(e);
    }
    for (const e of parser.end()) onEvent(e);
  } finally {
    signal?.removeEventListener("abort", abort);
    reader.releaseLock();
  }
}
