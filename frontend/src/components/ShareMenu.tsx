// Share a thread as a read-only link (issue 19): make it, copy it, stop sharing (the link then says so).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError } from "../api/client";
import type { components } from "../api/schema";
import { CopyButton } from "./CopyButton";
import { ErrorText } from "./Banner";

type Share = components["schemas"]["ShareOut"];

const shareKey = (threadId: string) => ["share", threadId] as const;

/** The thread's live share, or null when it is not shared. */
async function currentShare(threadId: string): Promise<Share | null> {
  try {
    return await api<Share>(`/api/threads/${threadId}/share`);
  } catch (err) {
    if (err instanceof ApiError && err.code === "SHARE_NOT_FOUND") return null;
    throw err;
  }
}

const button =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50 max-wide:min-h-11 dark:border-slate-700 dark:hover:bg-slate-800";

export function ShareMenu({ threadId, touch }: { threadId: string; touch: string }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const share = useQuery({ queryKey: shareKey(threadId), queryFn: () => currentShare(threadId), enabled: open, retry: false });
  const make = useMutation({
    mutationFn: () => api<Share>(`/api/threads/${threadId}/share`, { method: "POST" }),
    onSuccess: (s) => qc.setQueryData(shareKey(threadId), s),
  });
  const revoke = useMutation({
    mutationFn: () => api<void>(`/api/threads/${threadId}/share`, { method: "DELETE" }),
    onSuccess: () => qc.setQueryData(shareKey(threadId), null),
  });
  const link = share.data ? new URL(share.data.url, window.location.origin).toString() : null;
  return (
    <details className="relative" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary
        className={`flex cursor-pointer list-none items-center [&::-webkit-details-marker]:hidden justify-center rounded-md px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800 ${touch}`}
        title="Share this thread as a read-only link"
      >
        Share
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-80 max-w-[90vw] space-y-2 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900" data-testid="share-menu">
        <p className="text-slate-700 dark:text-slate-300">Anyone with the link can read this conversation and download its files, without signing in.</p>
        {share.isLoading && <p className="text-slate-600 dark:text-slate-400">Loading…</p>}
        {share.error != null && <ErrorText error={share.error} onRetry={() => void share.refetch()} />}
        {(make.error ?? revoke.error) != null && <ErrorText error={make.error ?? revoke.error} />}
        {share.isSuccess && !link && (
          <button type="button" className={button} disabled={make.isPending} onClick={() => make.mutate()}>
            Create link
          </button>
        )}
        {link && (
          <>
            <input readOnly aria-label="Shared link" value={link} onFocus={(e) => e.target.select()} className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-800" />
            <div className="flex gap-2">
              <CopyButton text={() => link} label="Copy link" className="!text-sm" />
              <button type="button" className={button} disabled={revoke.isPending} onClick={() => revoke.mutate()}>
                Stop sharing
              </button>
            </div>
          </>
        )}
      </div>
    </details>
  );
}
