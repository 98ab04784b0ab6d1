// The API's error codes, written for people: what happened, what to do, and the one action that can help.

export type ErrorAction = "retry" | "settings" | null;

export interface Explained {
  title: string;
  detail: string;
  action: ErrorAction;
}

/** Names of request fields, in words (the last part of a validation error's location). */
const FIELD_NAMES: Record<string, string> = {
  context_window: "Context window",
  temperature: "Temperature",
  system_prompt: "System prompt",
  model: "Model",
  content: "Message",
  title: "Title",
  code: "Code",
  timeout_s: "Time limit",
  dataset_id: "Dataset",
  path: "File path",
  q: "Search",
  limit: "Number of results",
};

const num = (s: string) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s).toLocaleString("en-US") : s);

/** A pydantic message → a phrase after the field's name ("must be at least 1,024"). */
function constraint(msg: string): string {
  const rules: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
    [/greater than or equal to (\S+)/i, (m) => `must be at least ${num(m[1])}`],
    [/less than or equal to (\S+)/i, (m) => `must be at most ${num(m[1])}`],
    [/greater than (\S+)/i, (m) => `must be more than ${num(m[1])}`],
    [/less than (\S+)/i, (m) => `must be less than ${num(m[1])}`],
    [/at most (\d+) characters?/i, (m) => `can be at most ${num(m[1])} characters long`],
    [/at least (\d+) characters?/i, (m) => `must be at least ${num(m[1])} characters long`],
    [/valid integer|whole number/i, () => "must be a whole number"],
    [/valid number|finite number/i, () => "must be a number"],
    [/valid string/i, () => "must be text"],
    [/field required|missing/i, () => "is required"],
    [/extra inputs/i, () => "is not a setting this server knows"],
  ];
  for (const [re, phrase] of rules) {
    const m = msg.match(re);
    if (m) return phrase(m);
  }
  return `is not valid (${msg.replace(/^Value error, /i, "")})`;
}

/** "body.config.context_window: Input should be greater than or equal to 1024" → "Context window must be at least 1,024." */
export function validationSentence(message: string): string {
  const m = /^([\w.[\]-]+):\s*(.*)$/s.exec(message.trim());
  if (!m) return message;
  const parts = m[1].split(".").filter((p) => p && p !== "body" && !/^\d+$/.test(p));
  const key = parts[parts.length - 1] ?? "";
  const name = FIELD_NAMES[key] ?? (key ? key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()) : "A field");
  return `${name} ${constraint(m[2])}.`;
}

const BAD_KEY = /authentication|unauthori[sz]ed|incorrect api key|invalid api key|invalid x-api-key|\b401\b|permission|\b403\b/i;
const BAD_MODEL = /model.*(not found|does not exist|not available)|\b404\b/i;

/** One error from the API (a response or a run's `error` event), explained. */
export function explainError(code: string, message: string): Explained {
  switch (code) {
    case "MODEL_NOT_CONFIGURED":
      return { title: "No language model is configured on this server", detail: noModelAdvice, action: null };
    case "MODEL_AUTH_FAILED":
      if (/your own API key/i.test(message))
        return {
          title: "The model provider refused your own key",
          detail: "The key you set is wrong, revoked or lacks access to this model. Open settings to set a working key under “Your model keys”, or remove it to use the server's. Your message is kept.",
          action: "settings",
        };
      return explainError("MODEL_UNAVAILABLE", "401 authentication");
    case "PROVIDER_KEY_REQUIRED":
      return {
        title: "This server needs your own model key",
        detail: "Open settings and add your OpenAI, Anthropic or OpenAI-compatible key under “Your model keys”, then send your message again.",
        action: "settings",
      };
    case "PROVIDER_KEYS_UNREADABLE":
      return {
        title: "Your stored model key can no longer be read",
        detail: "The server's key secret changed. Open settings and set your key again under “Your model keys”.",
        action: "settings",
      };
    case "INVALID_PROVIDER_KEY":
      return { title: "That key cannot be used", detail: message, action: null };
    case "PROVIDER_KEY_NOT_FOUND":
      return { title: "No key stored for this provider", detail: "It was already removed. Reload the settings.", action: null };
    case "MODEL_NOT_FOUND":
      return explainError("MODEL_UNAVAILABLE", "model not found");
    case "MODEL_UNAVAILABLE":
      if (BAD_KEY.test(message))
        return {
          title: "The model provider refused the API key",
          detail:
            "The key set on this server is wrong, revoked or lacks access. Retrying will not help: an administrator has to set a valid OPENAI_API_KEY or ANTHROPIC_API_KEY, or pick a model of another provider in the thread settings. Your message is kept.",
          action: "settings",
        };
      if (BAD_MODEL.test(message))
        return {
          title: "The model provider does not know this model",
          detail: "Pick another model in the thread settings. Your message is kept.",
          action: "settings",
        };
      return {
        title: "The model is not answering",
        detail: "The model provider could not be reached or is overloaded. Your message is kept: retry in a moment, or pick another model in the thread settings.",
        action: "retry",
      };
    case "CONTEXT_OVERFLOW":
      return {
        title: "This conversation is too long for the model",
        detail: "Start a new thread, or raise the context window (or choose a model with a larger one) in the thread settings.",
        action: "settings",
      };
    case "RECURSION_LIMIT":
      return { title: "The analyst stopped before finishing", detail: "What it produced is kept. Ask it to continue, or narrow the question.", action: null };
    case "RUN_IN_PROGRESS":
      return { title: "A run is already going in this thread", detail: "Wait for it to finish or press Stop, then send again.", action: null };
    case "RUN_INTERRUPTED":
    case "SERVER_STOPPED":
      return { title: "The run was interrupted", detail: "The server stopped during the run; what it produced is kept. Retry to run it again.", action: "retry" };
    case "MESSAGE_NOT_FOUND":
      return { title: "That message is no longer in this thread", detail: "Reload the thread to see its current history.", action: null };
    case "NOT_LAST_USER_MESSAGE":
      return { title: "Only the last question can be edited", detail: "Send a new message instead, or edit the last one.", action: null };
    case "NOT_LAST_ANSWER":
      return { title: "Only the last answer can be regenerated", detail: "Ask again with a new message instead.", action: null };
    case "SHARE_NOT_FOUND":
      return { title: "This shared link does not exist", detail: "Check the address, or ask the owner for a new link; the conversation may have been deleted.", action: null };
    case "SHARE_REVOKED":
      return { title: "The owner stopped sharing this conversation", detail: "Ask them for a new link if you still need it.", action: null };
    case "THREAD_ARCHIVED":
      return { title: "This thread is archived", detail: "Unarchive it (sidebar → Show archived only → Unarchive) to continue it.", action: null };
    case "THREAD_NOT_FOUND":
      return { title: "This thread no longer exists", detail: "It was deleted, or it belongs to someone else. Start a new thread.", action: null };
    case "DATASET_NOT_FOUND":
      return { title: "This dataset is not in the catalog", detail: "It may have been removed from the portal. Search the catalog again.", action: null };
    case "ARTIFACT_NOT_FOUND":
    case "FILE_NOT_FOUND":
    case "NOT_FOUND":
      return { title: "Not found", detail: "What you asked for no longer exists. Reload the page.", action: null };
    case "VALIDATION_ERROR":
    case "INVALID_TEXT":
      return { title: "Please check what you entered", detail: validationSentence(message), action: null };
    case "INVALID_CONFIG":
      return { title: "This setting cannot be used here", detail: message, action: "settings" };
    case "INVALID_DATASET_ID":
      return { title: "That is not a dataset id", detail: "Pick a dataset from the catalog search.", action: null };
    case "INVALID_PATH":
      return { title: "That file path is not allowed", detail: "Use a path inside the thread's workspace, such as datasets/… or artifacts/….", action: null };
    case "PAYLOAD_TOO_LARGE":
      return { title: "That is too large", detail: "Send a shorter message or a smaller file.", action: null };
    case "QUOTA_EXCEEDED":
      // the server's message names the limit and what frees it (e.g. "All 2 sandboxes you may hold … are busy")
      return { title: "You have reached your usage limit", detail: message || "Wait until the limit resets, or ask an administrator to raise it.", action: null };
    case "UNAUTHORIZED":
      return { title: "You are signed out", detail: "Reload the page and sign in again.", action: null };
    case "FORBIDDEN":
    case "INVALID_SIGNATURE":
      return { title: "You cannot open this", detail: "The link has expired or does not belong to you. Reload the page to get a fresh one.", action: null };
    case "OBJECT_ARCHIVED":
      return { title: "This file is in the archive", detail: "An administrator has to restore it before it can be downloaded.", action: null };
    case "OBJECT_EXPIRED":
      return { title: "This file has expired", detail: "Run the code that made it again.", action: null };
    case "DATABASE_UNAVAILABLE":
      return { title: "The server's database is not answering", detail: "Nothing was lost. Retry in a few seconds.", action: "retry" };
    case "STORAGE_UNAVAILABLE":
      return { title: "The file store is not answering", detail: "Retry in a few seconds.", action: "retry" };
    case "SANDBOX_UNAVAILABLE":
      return { title: "The code sandbox is not available", detail: "Retry in a few seconds; if it keeps failing, restart the sandbox from the Notebook.", action: "retry" };
    case "OPENDATA_UNAVAILABLE":
    case "OPENDATA_ERROR":
      return { title: "The open-data portal is not answering", detail: "The catalog cannot be searched right now. Retry in a moment.", action: "retry" };
    case "LIVE_STREAM_UNAVAILABLE":
      return { title: "The live view of this run was lost", detail: "The run goes on; reload the page to see its result.", action: "retry" };
    case "NETWORK_ERROR":
      return { title: "Cannot reach the server", detail: "Check your connection, then retry.", action: "retry" };
    default:
      return {
        title: "Something went wrong on the server",
        detail: "This is a bug, not something you did. Retry; if it happens again, tell the administrator.",
        action: "retry",
      };
  }
}

export const noModelAdvice =
  "Set OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server such as Ollama or vLLM) or ANTHROPIC_API_KEY, choose LLM_MODEL (e.g. openai:gpt-4.1-mini) in .env, and restart. Meanwhile the Notebook and Datasets work without a model.";
