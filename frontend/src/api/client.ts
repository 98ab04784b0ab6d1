// A small fetch wrapper: JSON in and out, errors turned into ApiError with the server's stable code.
import { readSSE } from "../lib/sse";
import type { ExecutionResult, Upload } from "./types";

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The `{error: {code, message}}` body of a failed response, or a generic error for anything else. */
export async function toApiError(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `request failed (${res.status})`;
  try {
    const body = await res.json();
    if (body?.error?.code) {
      code = body.error.code;
      message = body.error.message ?? message;
    } else if (Array.isArray(body?.detail)) {
      code = "VALIDATION_ERROR";
      message = body.detail.map((d: { msg?: string }) => d.msg).join("; ");
    } else if (typeof body?.detail === "string") {
      message = body.detail;
    }
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, code, message);
}

/** The `csrf_token` cookie the server set at sign-in (AUTH_MODE=token), or null. */
export function csrfToken(): string | null {
  const m = /(?:^|;\s*)csrf_token=([^;]*)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]) : null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Fired when a request answers 401 (the session ended or was revoked): the app asks /api/me again. */
export const UNAUTHORIZED_EVENT = "lgurban:unauthorized";

/** A change made with the sign-in cookie must echo its csrf_token in X-CSRF-Token (issue 13). */
export function csrfHeaders(method = "GET"): Record<string, string> {
  const token = csrfToken();
  return token && !SAFE_METHODS.has(method.toUpperCase()) ? { "X-CSRF-Token": token } : {};
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const res = await fetch(path, {
    credentials: "same-origin",
    ...rest,
    headers: {
      Accept: "application/json",
      ...(json !== undefined ? { "Content-Type": "application/json" } : {}),
      ...csrfHeaders(rest.method),
      ...headers,
    },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  // not for /api/me (the gate's own question) nor a refused sign-in (the page says why)
  if (res.status === 401 && path !== "/api/me" && !path.startsWith("/api/auth/")) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Upload one file to the thread's workspace (multipart, streamed by the server; default uploads/<name>). */
export async function uploadFile(threadId: string, file: File): Promise<Upload> {
  const form = new FormData();
  form.append("file", file, file.name);
  return api(`/api/threads/${threadId}/files`, { method: "POST", body: form });
}

/** One chunk of a running cell's stdout/stderr (an `output` event of the streaming /execute). */
export interface CellChunk {
  stream: "stdout" | "stderr";
  text: string;
}

/**
 * Run a cell with the streaming form of /execute (`Accept: text/event-stream`): `onOutput` gets its output as
 * the sandbox produces it; resolves with the execution record. Aborting `signal` closes the connection, which
 * interrupts the cell on the server (its variables are kept).
 */
export async function executeStream(
  threadId: string,
  code: string,
  { onOutput, signal }: { onOutput: (c: CellChunk) => void; signal?: AbortSignal },
): Promise<ExecutionResult> {
  const res = await fetch(`/api/threads/${threadId}/execute`, {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "text/event-stream", "Content-Type": "application/json", ...csrfHeaders("POST") },
    body: JSON.stringify({ code }),
    signal,
  });
  if (res.status === 401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  if (!res.ok) throw await toApiError(res);
  if (!res.body) throw new ApiError(res.status, "NO_STREAM", "The server sent no stream.");
  let result: ExecutionResult | null = null;
  let failure: ApiError | null = null;
  await readSSE(
    res.body,
    (e) => {
      if (e.event === "output") onOutput(JSON.parse(e.data) as CellChunk);
      else if (e.event === "result") result = JSON.parse(e.data) as ExecutionResult;
      else if (e.event === "error") {
        const err = (JSON.parse(e.data) as { error: { code: string; message: string; status?: number } }).error;
        failure = new ApiError(err.status ?? 500, err.code, err.message);
      }
    },
    signal,
  );
  if (failure) throw failure;
  if (signal?.aborted) throw new DOMException("The cell was interrupted.", "AbortError");
  if (!result) throw new ApiError(0, "STREAM_ENDED", "The connection closed before the cell finished.");
  return result;
}
