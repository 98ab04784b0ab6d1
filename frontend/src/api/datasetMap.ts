// The Datasets panel map's server state (issue 16), kept out of hooks.ts: it loads with the panel's chunk,
// not with the first page.
import { useQuery } from "@tanstack/react-query";
import { api } from "./client";
import type { GeoPreview } from "./types";

/** A geo dataset's features for the panel's map (GET /api/datasets/{id}/geojson); asked for only when `enabled`. */
export function useDatasetGeoJson(id: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ["dataset-geojson", id ?? ""],
    queryFn: () => api<GeoPreview>(`/api/datasets/${encodeURIComponent(id!)}/geojson`),
    enabled: !!id && enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
