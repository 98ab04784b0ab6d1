// Server state through TanStack Query: one key per resource, mutations invalidate what they change.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";
import type {
  Artifact,
  AuthConfig,
  ConfigDefaults,
  DatasetDetail,
  DatasetLoaded,
  DatasetList,
  ExecutionResult,
  ForkResult,
  Me,
  Message,
  Preview,
  ProviderKey,
  ProviderKeys,
  RerunReport,
  Thread,
  ThreadConfig,
  ThreadList,
  ThreadState,
} from "./types";

export const keys = {
  threads: (archived: boolean) => ["threads", { archived }] as const,
  threadSearch: (archived: boolean, q: string) => ["threads", { archived, q }] as const,
  thread: (id: string) => ["thread", id] as const,
  messages: (id: string) => ["messages", id] as const,
  artifacts: (id: string) => ["artifacts", id] as const,
  executions: (id: string) => ["executions", id] as const,
  state: (id: string) => ["state", id] as const,
  defaults: ["config-defaults"] as const,
  datasets: (q: string) => ["datasets", q] as const,
  dataset: (id: string) => ["dataset", id] as const,
  preview: (id: string) => ["dataset-preview", id] as const,
  me: ["me"] as const,
  authConfig: ["auth-config"] as const,
  providerKeys: ["provider-keys"] as const,
};

/** The signed-in user's own model keys (issue 13): provider, last four characters, status; never the key. */
export function useProviderKeys() {
  return useQuery({
    queryKey: keys.providerKeys,
    queryFn: () => api<ProviderKeys>("/api/me/provider-keys"),
    retry: false,
  });
}

export function useSetProviderKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ provider, key, base_url }: { provider: ProviderKey["provider"]; key: string; base_url?: string | null }) =>
      api<ProviderKey>(`/api/me/provider-keys/${provider}`, { method: "PUT", json: { key, base_url: base_url || null } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.providerKeys }),
  });
}

export function useRemoveProviderKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (provider: ProviderKey["provider"]) => api<void>(`/api/me/provider-keys/${provider}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.providerKeys }),
  });
}

/** Who is signed in (issue 13); a 401 means the sign-in page, so it is not retried. */
export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: () => api<Me>("/api/me"), retry: false, staleTime: Infinity });
}

/** How this server signs people in (token form or an OIDC provider's button), asked once signed out. */
export function useAuthConfig(enabled: boolean) {
  return useQuery({
    queryKey: keys.authConfig,
    queryFn: () => api<AuthConfig>("/api/auth/config"),
    enabled,
    retry: false,
    staleTime: Infinity,
  });
}

/** Sign out: the session ends on the server, then the page reloads onto the sign-in page. */
export async function signOut(reload: () => void = () => window.location.reload()) {
  await api<void>("/api/auth/session", { method: "DELETE" });
  reload();
}

export function useThreads(includeArchived: boolean) {
  return useQuery({
    queryKey: keys.threads(includeArchived),
    queryFn: () => api<ThreadList>(`/api/threads?limit=200&include_archived=${includeArchived}`),
  });
}

/** Threads whose title or messages hold every word of `q` (server-side full-text search); off while `q` is blank. */
export function useThreadSearch(includeArchived: boolean, q: string) {
  return useQuery({
    queryKey: keys.threadSearch(includeArchived, q),
    queryFn: () => api<ThreadList>(`/api/threads?limit=200&include_archived=${includeArchived}&q=${encodeURIComponent(q)}`),
    enabled: q.length > 0,
    placeholderData: (previous) => previous,
  });
}

export function useThread(id: string | null) {
  return useQuery({
    queryKey: keys.thread(id ?? ""),
    queryFn: () => api<Thread>(`/api/threads/${id}`),
    enabled: !!id,
  });
}

export function useMessages(id: string | null) {
  return useQuery({
    queryKey: keys.messages(id ?? ""),
    queryFn: () => api<{ items: Message[] }>(`/api/threads/${id}/messages`).then((r) => r.items),
    enabled: !!id,
  });
}

export function useArtifacts(id: string | null) {
  return useQuery({
    queryKey: keys.artifacts(id ?? ""),
    queryFn: () => api<{ items: Artifact[] }>(`/api/threads/${id}/artifacts`).then((r) => r.items),
    enabled: !!id,
  });
}

export function useExecutions(id: string | null) {
  return useQuery({
    queryKey: keys.executions(id ?? ""),
    queryFn: () =>
      api<{ items: ExecutionResult[] }>(`/api/threads/${id}/executions`).then((r) => r.items),
    enabled: !!id,
  });
}

export function useThreadState(id: string | null) {
  return useQuery({
    queryKey: keys.state(id ?? ""),
    queryFn: () => api<ThreadState>(`/api/threads/${id}/state`),
    enabled: !!id,
    retry: false,
  });
}

export function useConfigDefaults() {
  return useQuery({
    queryKey: keys.defaults,
    queryFn: () => api<ConfigDefaults>("/api/config/defaults"),
    staleTime: 5 * 60_000,
  });
}

export function useDatasetSearch(q: string) {
  return useQuery({
    queryKey: keys.datasets(q),
    queryFn: () =>
      api<DatasetList>(`/api/datasets?limit=20&q=${encodeURIComponent(q)}`),
    staleTime: 60_000,
    retry: false, // the server has retried the portal already: an error is shown at once, with Retry
  });
}

export function useDataset(id: string | null) {
  return useQuery({
    queryKey: keys.dataset(id ?? ""),
    queryFn: () => api<DatasetDetail>(`/api/datasets/${encodeURIComponent(id!)}`),
    enabled: !!id,
  });
}

export function useDatasetPreview(id: string | null) {
  return useQuery({
    queryKey: keys.preview(id ?? ""),
    queryFn: () => api<Preview>(`/api/datasets/${encodeURIComponent(id!)}/preview?limit=20`),
    enabled: !!id,
  });
}

function useInvalidateThreads() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ["threads"] });
}

export function useCreateThread() {
  const invalidate = useInvalidateThreads();
  return useMutation({
    mutationFn: (body: { title?: string }) => api<Thread>("/api/threads", { method: "POST", json: body }),
    onSuccess: invalidate,
  });
}

export function useUpdateThread() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; title?: string; archived?: boolean; config?: Partial<ThreadConfig> }) =>
      api<Thread>(`/api/threads/${id}`, { method: "PATCH", json: body }),
    onSuccess: (t) => {
      qc.setQueryData(keys.thread(t.id), t);
      qc.invalidateQueries({ queryKey: ["threads"] });
    },
  });
}

export function useDeleteThread() {
  const invalidate = useInvalidateThreads();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/threads/${id}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}

export function useExecute(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      api<ExecutionResult>(`/api/threads/${threadId}/execute`, { method: "POST", json: { code } }),
    onSettled: () => {
      qc.invalidateQueries({ queryKey: ["files", threadId] });
      qc.invalidateQueries({ queryKey: keys.executions(threadId) });
      qc.invalidateQueries({ queryKey: keys.artifacts(threadId) });
    },
  });
}

/** Issue 20: re-run the thread's cells on today's data, as a new thread (long: up to minutes). */
export function useRerun(threadId: string) {
  const invalidate = useInvalidateThreads();
  return useMutation({
    mutationFn: () => api<RerunReport>(`/api/threads/${threadId}/rerun`, { method: "POST" }),
    onSuccess: invalidate,
  });
}

/** Issue 20: a new thread with the conversation up to and including a message, its files and variables. */
export function useFork(threadId: string) {
  const invalidate = useInvalidateThreads();
  return useMutation({
    mutationFn: (messageId: string) =>
      api<ForkResult>(`/api/threads/${threadId}/fork`, { method: "POST", json: { message_id: messageId } }),
    onSuccess: invalidate,
  });
}

export function useLoadDataset(threadId: string | null) {
  return useMutation({
    mutationFn: (datasetId: string) =>
      api<DatasetLoaded>(
        `/api/threads/${threadId}/datasets`,
        { method: "POST", json: { dataset_id: datasetId } },
      ),
  });
}

export interface WorkspaceFile {
  path: string;
  size: number;
  modified_at: string;
}

export function useFiles(threadId: string) {
  return useQuery({
    queryKey: ["files", threadId],
    queryFn: () => api<{ items: WorkspaceFile[] }>(`/api/threads/${threadId}/files`).then((r) => r.items),
  });
}

export function useRestartSandbox(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api(`/api/threads/${threadId}/sandbox/restart`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["files", threadId] }),
  });
}

export interface Health {
  status: string;
  checks: Record<string, string>;
}

/** `/api/health` (its body also when it is 503): `checks.model` says whether a model provider is configured. */
export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: async () => {
      const res = await fetch("/api/health", { headers: { Accept: "application/json" } });
      return (await res.json()) as Health;
    },
    staleTime: 60_000,
  });
}

export function useModelConfigured(): boolean | null {
  const health = useHealth();
  const model = health.data?.checks?.model;
  return model === undefined ? null : model !== "not configured";
}
