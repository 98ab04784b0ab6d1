import { useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { useDatasetGeoJson } from "../api/datasetMap";
import { useConfigDefaults, useDataset, useDatasetPreview, useDatasetSearch, useLoadDataset } from "../api/hooks";
import type { MapTiles } from "../api/types";
import type { Feature } from "../lib/geomap";
import { ErrorText } from "./Banner";
import { DataTable } from "./DataTable";

// Leaflet and the clustering come with the first geo dataset opened, never with the first page (issue 16)
const loadMap = () => import("../lib/leafletMap");

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Search the open-data catalog, inspect a dataset, and load it into the current thread's workspace. */
export function DatasetsPanel({ threadId }: { threadId: string | null }) {
  const [q, setQ] = useState("");
  const query = useDebounced(q, 250);
  const search = useDatasetSearch(query);
  const [selected, setSelected] = useState<string | null>(null);
  // the search result says whether it is geographic: its map's data is asked for with its detail, not after
  const [selectedGeo, setSelectedGeo] = useState(false);

  return (
    <div className="flex min-h-0 flex-1 max-wide:flex-col" data-testid="datasets">
      <div className="flex w-80 shrink-0 flex-col border-r border-slate-200 max-wide:max-h-[45%] max-wide:w-full max-wide:border-b max-wide:border-r-0 dark:border-slate-800">
        <div className="p-3">
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Search the catalog (e.g. biciclette)"
            aria-label="Search datasets"
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm max-wide:min-h-11 max-wide:text-base dark:border-slate-700 dark:bg-slate-900"
          />
          {search.data && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{search.data.total === 1 ? "1 dataset" : `${search.data.total} datasets`}</p>}
        </div>
        <ul className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
          {search.isError && (
            <li className="px-2">
              <ErrorText error={search.error} onRetry={() => void search.refetch()} />
            </li>
          )}
          {search.isLoading && <li className="px-2 text-sm text-slate-600 dark:text-slate-400">Searching…</li>}
          {search.data?.total === 0 && query.trim() && (
            <li className="px-2 text-sm text-slate-600 dark:text-slate-400" data-testid="datasets-none">
              No dataset matches “{query.trim()}”. Try fewer or other words: the catalog is mostly in Italian (e.g. “biciclette”, “popolazione”, “incidenti”).
              <button type="button" onClick={() => setQ("")} className="mt-1 block rounded border border-current px-2 py-0.5 text-xs max-wide:min-h-11">
                Show all datasets
              </button>
            </li>
          )}
          {search.data?.items.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                onClick={() => {
                  setSelected(d.id);
                  setSelectedGeo(d.is_geo);
                }}
                className={`w-full rounded-md px-2 py-1.5 text-left max-wide:min-h-11 ${selected === d.id ? "bg-sky-100 dark:bg-sky-900/40" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
                data-testid="dataset-item"
              >
                <div className="truncate text-sm">{d.title}</div>
                <div className="text-[11px] text-slate-600 dark:text-slate-400">
                  {d.id}
                  {d.records_count != null && ` · ${d.records_count.toLocaleString()} rows`}
                  {d.is_geo && " · map"}
                </div>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {selected ? (
          <DatasetDetailView id={selected} threadId={threadId} geoHint={selectedGeo} />
        ) : (
          <p className="p-6 text-sm text-slate-600 dark:text-slate-400">Pick a dataset to see its description, fields and first rows.</p>
        )}
      </div>
    </div>
  );
}

function DatasetDetailView({ id, threadId, geoHint }: { id: string; threadId: string | null; geoHint: boolean }) {
  const detail = useDataset(id);
  useDatasetGeoJson(id, geoHint); // started alongside the detail (the map section reads the same query)
  const preview = useDatasetPreview(id);
  const load = useLoadDataset(threadId);
  useEffect(() => load.reset(), [id]); // eslint-disable-line react-hooks/exhaustive-deps
  if (detail.isError)
    return (
      <div className="p-6">
        <ErrorText error={detail.error} onRetry={() => void detail.refetch()} />
      </div>
    );
  if (!detail.data) return <p className="p-6 text-sm text-slate-600 dark:text-slate-400">Loading…</p>;
  const d = detail.data;
  return (
    <div className="space-y-4 p-6" data-testid="dataset-detail">
      <div>
        <h2 className="text-xl font-semibold">{d.title}</h2>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          <code>{d.id}</code>
          {d.records_count != null && ` · ${d.records_count.toLocaleString()} records`}
          {d.publisher && ` · ${d.publisher}`}
          {d.license && ` · ${d.license}`}
          {d.time_coverage && ` · ${d.time_coverage.start} → ${d.time_coverage.end}`}
        </p>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => load.mutate(d.id)}
          disabled={!threadId || load.isPending}
          className="shrink-0 whitespace-nowrap rounded-md bg-sky-700 px-3 py-1.5 max-wide:min-h-11 text-sm text-white hover:bg-sky-800 disabled:opacity-40"
        >
          {load.isPending ? "Loading…" : "Load into this thread"}
        </button>
        {!threadId && <span className="text-xs text-slate-600 dark:text-slate-400">Open or create a thread first.</span>}
        {load.isError && <ErrorText error={load.error} onRetry={() => load.mutate(d.id)} />}
        {load.data && (
          <span className="text-sm text-emerald-700 dark:text-emerald-400" data-testid="dataset-loaded">
            Loaded as <code>{load.data.path}</code> {load.data.rows != null && `(${load.data.rows.toLocaleString()} rows)`} — use it in the Notebook or ask the analyst.
          </span>
        )}
      </div>
      {d.description && (
        <div
          className="max-w-3xl text-sm text-slate-700 dark:text-slate-300"
          // descriptions from the portal are HTML: render as text to keep scripts out
        >
          {stripHtml(d.description)}
        </div>
      )}
      {d.is_geo && <MapSection id={d.id} />}
      <section>
        <h3 className="mb-1 text-sm font-semibold">Fields</h3>
        <DataTable
          columns={["name", "label", "type", "description"]}
          rows={d.fields.map((f) => [f.name, f.label ?? "", f.type ?? "", f.description ?? ""])}
        />
      </section>
      <section>
        <h3 className="mb-1 text-sm font-semibold">Preview</h3>
        {preview.isError && <ErrorText error={preview.error} onRetry={() => void preview.refetch()} />}
        {preview.data && <DataTable columns={preview.data.columns} rows={preview.data.rows} />}
      </section>
    </div>
  );
}

// the map preview's own refusals (issue 16), explained here rather than in lib/errors (the first page's code)
const MAP_REFUSALS = new Set(["DATASET_NOT_GEO", "DATASET_TOO_LARGE_FOR_MAP"]);

/** A geo dataset's features on a map; the base map is the server's (config defaults' `map_tiles`). */
function MapSection({ id }: { id: string }) {
  const geo = useDatasetGeoJson(id, true);
  const defaults = useConfigDefaults();
  const waiting = !geo.data || defaults.isPending;
  return (
    <section data-testid="dataset-map-section">
      <h3 className="mb-1 text-sm font-semibold">Map</h3>
      {geo.isError &&
        (geo.error instanceof ApiError && MAP_REFUSALS.has(geo.error.code) ? (
          // the server says why there is no map and what to do instead (its message): no retry would help
          <p className="text-sm text-slate-600 dark:text-slate-400" role="status" data-testid="dataset-map-refused">
            {geo.error.message}
          </p>
        ) : (
          <ErrorText error={geo.error} onRetry={() => void geo.refetch()} />
        ))}
      {!geo.isError && waiting && <p className="text-sm text-slate-600 dark:text-slate-400">Loading the map…</p>}
      {!waiting && (
        <>
          <LeafletMap features={geo.data.features as unknown as Feature[]} tiles={defaults.data?.map_tiles ?? null} />
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400" data-testid="dataset-map-caption">
            {geo.data.truncated
              ? `The first ${geo.data.features.length.toLocaleString()} features of ${geo.data.total.toLocaleString()} rows.`
              : `${geo.data.features.length.toLocaleString()} features.`}{" "}
            Click a point or shape for its fields.
          </p>
        </>
      )}
    </section>
  );
}

/** The map's box; Leaflet draws into it once its chunk has loaded (`data-drawn` then says it is drawn). */
function LeafletMap({ features, tiles }: { features: Feature[]; tiles: MapTiles | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current!;
    let remove: (() => void) | null = null;
    let live = true;
    loadMap()
      .then(({ drawDatasetMap }) => {
        if (!live) return;
        remove = drawDatasetMap(el, features, tiles);
        el.dataset.drawn = "true";
      })
      .catch((e: Error) => live && setFailed(e.message));
    return () => {
      live = false;
      remove?.();
      delete el.dataset.drawn;
    };
  }, [features, tiles]);
  return (
    <>
      <div
        ref={ref}
        role="region"
        aria-label="Map of the dataset"
        className="h-96 w-full rounded-lg border border-slate-200 bg-slate-100 max-wide:h-72 dark:border-slate-800 dark:bg-slate-800"
        data-testid="dataset-map"
      />
      {failed && <p className="text-xs text-red-600 dark:text-red-400">The map could not be drawn: {failed}</p>}
    </>
  );
}

function stripHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  return doc.body.textContent ?? "";
}
