import { useArtifacts } from "../api/hooks";
import type { Artifact } from "../api/types";
import { DownloadLink, formatBytes, kindOf } from "./Artifact";

/** Every artifact of the thread as a grid; a click opens it fullscreen. */
export function GalleryPanel({ threadId, onOpen }: { threadId: string; onOpen: (a: Artifact) => void }) {
  const artifacts = useArtifacts(threadId);
  return (
    <div className="min-h-0 flex-1 overflow-y-auto p-4" data-testid="gallery">
      {artifacts.isError && <p className="text-sm text-red-600 dark:text-red-400">{artifacts.error.message}</p>}
      {artifacts.data?.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No artifacts yet: plots, maps and files the code writes show up here.</p>}
      <div className="grid grid-cols-[repeat(auto-fill,minmax(200px,1fr))] gap-3">
        {artifacts.data?.map((a) => (
          <div key={a.id} className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-800" data-testid="gallery-item">
            <button type="button" onClick={() => onOpen(a)} className="block h-36 w-full bg-slate-100 dark:bg-slate-900" aria-label={`Open ${a.filename}`}>
              {kindOf(a) === "image" ? (
                <img src={a.url} alt={a.filename} loading="lazy" className="h-full w-full object-contain" />
              ) : (
                <span className="text-xl font-semibold text-slate-400">{a.filename.split(".").pop()?.toUpperCase()}</span>
              )}
            </button>
            <div className="flex items-center gap-1 px-2 py-1 text-xs">
              <span className="min-w-0 flex-1 truncate" title={a.filename}>{a.filename}</span>
              <span className="text-slate-600 dark:text-slate-400">{formatBytes(a.size)}</span>
            </div>
            <div className="px-2 pb-2">
              <DownloadLink artifact={a} />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
