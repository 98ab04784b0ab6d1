// Pieces of the Datasets panel's map (issue 16) that need no map library: splitting a FeatureCollection into
// points (clustered) and shapes (drawn as they are), their bounds, and a record's popup built as DOM nodes
// (textContent only: the portal's values never become HTML).

export interface Feature {
  type: "Feature";
  geometry: { type: string; coordinates: unknown } | null;
  properties?: Record<string, unknown> | null;
}

/** A point to cluster: [lon, lat] and the index of its feature. */
export interface PointFeature {
  type: "Feature";
  geometry: { type: "Point"; coordinates: [number, number] };
  properties: { i: number };
}

export function splitFeatures(features: Feature[]): { points: PointFeature[]; shapes: Feature[] } {
  const points: PointFeature[] = [];
  const shapes: Feature[] = [];
  features.forEach((f, i) => {
    const g = f.geometry;
    if (!g) return;
    if (g.type === "Point") {
      const [lon, lat] = g.coordinates as number[];
      if (Number.isFinite(lon) && Number.isFinite(lat)) {
        points.push({ type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] }, properties: { i } });
      }
    } else {
      shapes.push(f);
    }
  });
  return { points, shapes };
}

/** [min_lon, min_lat, max_lon, max_lat] of every (finite) coordinate, or null when there is none. */
export function featuresBounds(features: Feature[]): [number, number, number, number] | null {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === "number" && typeof c[1] === "number") {
      if (!Number.isFinite(c[0]) || !Number.isFinite(c[1])) return; // a broken coordinate is not drawn either
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1]);
      return;
    }
    for (const inner of c) visit(inner);
  };
  for (const f of features) {
    const g = f.geometry as { coordinates?: unknown; geometries?: { coordinates: unknown }[] } | null;
    if (!g) continue;
    if (g.geometries) g.geometries.forEach((part) => visit(part.coordinates));
    else visit(g.coordinates);
  }
  return Number.isFinite(box[0]) ? (box as [number, number, number, number]) : null;
}

const MAX_POPUP_FIELDS = 30;

function shown(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** A table of the record's fields (the first 30) for the feature's popup. */
export function popupContent(properties: Record<string, unknown> | null | undefined): HTMLTableElement {
  const entries = Object.entries(properties ?? {});
  const table = document.createElement("table");
  table.className = "map-popup";
  for (const [k, v] of entries.slice(0, MAX_POPUP_FIELDS)) {
    const tr = table.insertRow();
    const th = document.createElement("th");
    th.textContent = k;
    th.scope = "row";
    tr.appendChild(th);
    tr.insertCell().textContent = shown(v);
  }
  if (entries.length > MAX_POPUP_FIELDS) {
    table.createCaption().textContent = `first ${MAX_POPUP_FIELDS} of ${entries.length} fields`;
  }
  if (entries.length === 0) table.createCaption().textContent = "no fields";
  return table;
}

/** The cluster marker's size class by how many points it holds. */
export function clusterSize(count: number): "s" | "m" | "l" {
  return count < 10 ? "s" : count < 100 ? "m" : "l";
}
