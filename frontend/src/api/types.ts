// Domain types, from the generated OpenAPI schema (schema.d.ts, `npm run gen:api`); a few are narrowed
// where the app relies on a more precise shape (a message's role, its tool calls).
import type { components } from "./schema";

type S = components["schemas"];
export type Thread = S["ThreadOut"];
export type ThreadConfig = S["ThreadConfig"];
export type ThreadList = S["ThreadList"];
/** A thread in a list; a searched list says where it matched (`match`). */
export type ThreadListItem = S["ThreadListItem"];
export type SearchMatch = S["SearchMatch"];
export type ConfigDefaults = S["ConfigDefaults"];
export type Me = S["MeOut"];
export type AuthConfig = S["AuthConfigOut"];
export type ProviderKey = S["ProviderKeyOut"];
export type ProviderKeys = S["ProviderKeysOut"];

/** An artifact (with the cell and the tool call that made it), as messages and the stream carry it. */
export type Artifact = NonNullable<S["MessageOut"]["artifacts"]>[number];

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

/** A file uploaded to a thread's workspace (POST /api/threads/{id}/files). */
export type Upload = S["UploadOut"];

export type ExecutionResult = Omit<S["ExecutionOut"], "artifacts"> & { artifacts: Artifact[] };

export type DatasetItem = S["DatasetItem"];
export type DatasetList = S["DatasetList"];
export type DatasetField = S["FieldOut"];
export type DatasetDetail = S["DatasetDetail"];
export type Preview = S["Preview"];
/** A geo dataset's first features as a GeoJSON FeatureCollection (GET /api/datasets/{id}/geojson). */
export type GeoPreview = S["GeoPreviewOut"];
/** The base map of the app's maps (MAP_TILES_URL; "" = none) and its attribution. */
export type MapTiles = S["MapTilesOut"];
export type DatasetLoaded = S["Loaded"];

/** Issue 20: a thread re-run on today's data (a new thread) and what changed; a thread forked at a message. */
export type RerunReport = S["RerunOut"];
export type ForkResult = S["ForkOut"];
/** Issue 20: where an artifact came from, the cell that wrote it and the dataset versions it read. */
export type Provenance = S["ProvenanceOut"];

export type ThreadState = S["StateOut"];
export type ContextUsage = S["ContextOut"];
/** The reviewer's scores of an answer (issue 15, docs/reviewer.md). */
export type Review = S["ReviewOut"];

/** An event of the chat stream, generated from the backend's `ChatEvent` union (`type` names it). */
type GeneratedEvent = S["ChatEvent"];
export type ChatEventType = GeneratedEvent["type"];
// a `message` event's message in the app's narrower Message shape
type Narrowed<E> = E extends { message: S["MessageOut"] } ? Omit<E, "message"> & { message: Message } : E;
export type StreamEvent = { [K in ChatEventType]: Narrowed<Extract<GeneratedEvent, { type: K }>> }[ChatEventType];

/** One SSE frame of the chat stream: `event` is the event's type, `data` the event itself. */
export type ChatEvent = { [K in ChatEventType]: { event: K; data: Extract<StreamEvent, { type: K }> } }[ChatEventType];
