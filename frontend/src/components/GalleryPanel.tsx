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
            {kindOf(a) === "html" ? (
              // the frame is not inside the button (no interactive content in a button): the button lies over it
              <div className="relative h-36 w-full bg-slate-100 dark:bg-slate-900">
                <HtmlThumbnail artifact={a} />
                <button type="button" onClick={() => onOpen(a)} className="absolute inset-0 block h-full w-full" aria-label={`Open ${a.filename}`} />
              </div>
            ) : (
              <button type="button" onClick={() => onOpen(a)} className="block h-36 w-full bg-slate-100 dark:bg-slate-900" aria-label={`Open ${a.filename}`}>
                {kindOf(a) === "image" ? (
                  <img src={a.url} alt={a.filename} loading="lazy" className="h-full w-full object-contain" />
                ) : (
                  <span className="text-xl font-semibold text-slate-400">{a.filename.split(".").pop()?.toUpperCase()}</span>
                )}
              </button>
            )}
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

/** Pages larger than this are not rendered small (a heavy page in every tile): a title card instead. */
export const HTML_THUMBNAIL_MAX_BYTES = 3 * 1024 * 1024;

/**
 * An HTML artifact drawn at a quarter of its size: the page lays out in a 4× larger frame scaled down, sandboxed
 * WITHOUT allow-same-origin (its scripts run in an opaque origin), inert (no pointer, no focus) so the tile's
 * button takes the click. Too large a page gets a placeholder with its title.
 */
export function HtmlThumbnail({ artifact }: { artifact: Artifact }) {
  const title = artifact.filename.replace(/\.html?$/i, "");
  if (artifact.size > HTML_THUMBNAIL_MAX_BYTES) {
    return (
      <span className="absolute inset-0 flex flex-col items-center justify-center gap-1 px-3 text-center" data-testid="html-thumbnail-placeholder">
        <span className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">HTML</span>
        <span className="line-clamp-2 text-sm text-slate-700 dark:text-slate-300">{title}</span>
      </span>
    );
  }
  return (
    <span className="absolute inset-0 block overflow-hidden bg-white" aria-hidden="true">
      <iframe
        title={`Thumbnail of ${artifact.filename}`}
        src={artifact.url}
        sandbox="allow-scripts"
        referrerPolicy="no-referrer"
        loading="lazy"
        tabIndex={-1}
        className="pointer-events-none absolute left-0 top-0 h-[400%] w-[400%] origin-top-left scale-25 border-0"
        data-testid="html-thumbnail"
      />
    </span>
  );
}
