// Issue 16: the Datasets panel's map (its data, its base map, its refusals), the pieces it is made of, and the
// gallery's thumbnail of an HTML artifact. Leaflet itself draws in the browser tests (e2e/geomap.test.mjs).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Artifact } from "../api/types";
import { type Feature, clusterSize, featuresBounds, popupContent, splitFeatures } from "../lib/geomap";
import { DatasetsPanel } from "./DatasetsPanel";
import { GalleryPanel, HTML_THUMBNAIL_MAX_BYTES } from "./GalleryPanel";

const drawn = vi.hoisted(() => ({ calls: [] as { features: unknown[]; tiles: unknown }[], removed: 0 }));
vi.mock("../lib/leafletMap", () => ({
  drawDatasetMap: (_el: HTMLElement, features: unknown[], tiles: unknown) => {
    drawn.calls.push({ features, tiles });
    return () => void drawn.removed++;
  },
}));

const polygon = (lon: number, lat: number): Feature => ({
  type: "Feature",
  geometry: { type: "Polygon", coordinates: [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 2], [lon, lat]]] },
  properties: { nome: `q${lon}` },
});
const point = (lon: number, lat: number, props: Record<string, unknown> = {}): Feature => ({
  type: "Feature",
  geometry: { type: "Point", coordinates: [lon, lat] },
  properties: props,
});

describe("map pieces", () => {
  it("points are clustered, everything else is drawn as a shape; bounds cover every coordinate", () => {
    const features = [point(11.3, 44.5), polygon(11.0, 44.0), { type: "Feature", geometry: null } as Feature, point(NaN, 1)];
    const { points, shapes } = splitFeatures(features);
    expect(points).toEqual([{ type: "Feature", geometry: { type: "Point", coordinates: [11.3, 44.5] }, properties: { i: 0 } }]);
    expect(shapes).toEqual([features[1]]);
    expect(featuresBounds(features)).toEqual([11.0, 44.0, 12.0, 46.0]);
    const collection = { type: "Feature", geometry: { type: "GeometryCollection", geometries: [{ type: "Point", coordinates: [1, 2] }] } };
    expect(featuresBounds([collection as unknown as Feature])).toEqual([1, 2, 1, 2]);
    expect(featuresBounds([])).toBeNull();
  });

  it("a popup shows the record's fields as text, never as HTML", () => {
    const table = popupContent({ nome: "<img src=x onerror=alert(1)>", n: 3, vuoto: null, obj: { a: 1 } });
    expect(table.querySelector("img")).toBeNull();
    const rows = [...table.querySelectorAll("tr")].map((tr) => [tr.querySelector("th")!.textContent, tr.querySelector("td")!.textContent]);
    expect(rows).toEqual([
      ["nome", "<img src=x onerror=alert(1)>"],
      ["n", "3"],
      ["vuoto", "—"],
      ["obj", '{"a":1}'],
    ]);
    const wide = popupContent(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i])));
    expect(wide.querySelectorAll("tr")).toHaveLength(30);
    expect(wide.caption?.textContent).toBe("first 30 of 40 fields");
    expect([clusterSize(3), clusterSize(42), clusterSize(4000)]).toEqual(["s", "m", "l"]);
  });
});

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

const DETAIL = {
  source: "opendata",
  description: "",
  records_count: 2,
  modified_at: null,
  fields: [{ name: "nome", label: "Nome", type: "text" }],
};
const TILES = { url: "https://tiles.example.org/{z}/{x}/{y}.png", attribution: "© Example" };

/** The Datasets panel against a fetch that answers the catalog, `geojson` for the map, and the config. */
function renderPanel(geojson: () => Response) {
  const asked: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string) => {
      asked.push(url);
      if (url.startsWith("/api/datasets?")) {
        return json({
          total: 2,
          items: [
            { id: "quartieri", title: "Quartieri", source: "opendata", is_geo: true },
            { id: "popolazione", title: "Popolazione", source: "opendata", is_geo: false },
          ],
        });
      }
      if (url === "/api/datasets/quartieri") return json({ ...DETAIL, id: "quartieri", title: "Quartieri", is_geo: true, geo: { fields: ["geo_shape"] } });
      if (url === "/api/datasets/popolazione") return json({ ...DETAIL, id: "popolazione", title: "Popolazione", is_geo: false });
      if (url.includes("/preview")) return json({ columns: ["nome"], rows: [["a"]] });
      if (url === "/api/datasets/quartieri/geojson") return geojson();
      if (url === "/api/config/defaults") return json({ config: {}, models: [], providers: [], map_tiles: TILES });
      return json({ error: { code: "NOT_FOUND", message: url } }, 404);
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <DatasetsPanel threadId={null} />
    </QueryClientProvider>,
  );
  return asked;
}

describe("Datasets panel map", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    drawn.calls = [];
    drawn.removed = 0;
  });

  it("draws a geo dataset's features on the server's base map; a plain dataset has no map", async () => {
    const features = [polygon(11, 44), polygon(11.1, 44.1)];
    const asked = renderPanel(() => json({ type: "FeatureCollection", features, total: 2, truncated: false }));
    await userEvent.click(await screen.findByRole("button", { name: /Quartieri/ }));
    await screen.findByTestId("dataset-map");
    await waitFor(() => expect(drawn.calls).toHaveLength(1));
    expect(drawn.calls[0]).toEqual({ features, tiles: TILES });
    expect(screen.getByTestId("dataset-map-caption")).toHaveTextContent("2 features.");

    await userEvent.click(screen.getByRole("button", { name: /Popolazione/ }));
    await screen.findByRole("heading", { name: "Popolazione" });
    expect(screen.queryByTestId("dataset-map-section")).toBeNull();
    expect(drawn.removed).toBe(1); // the map is removed with its dataset's view
    expect(asked.filter((u) => u.endsWith("/geojson"))).toEqual(["/api/datasets/quartieri/geojson"]);
  });

  it("says when only the first features are shown", async () => {
    renderPanel(() => json({ type: "FeatureCollection", features: [point(11, 44)], total: 50_000, truncated: true }));
    await userEvent.click(await screen.findByRole("button", { name: /Quartieri/ }));
    expect(await screen.findByTestId("dataset-map-caption")).toHaveTextContent("The first 1 features of 50,000 rows.");
  });

  it("shows the server's reason when a dataset is too large to preview on a map", async () => {
    const message = "quartieri has 300,000 records, more than the map preview reads (200,000): load it into a thread and map it there";
    renderPanel(() => json({ error: { code: "DATASET_TOO_LARGE_FOR_MAP", message } }, 413));
    await userEvent.click(await screen.findByRole("button", { name: /Quartieri/ }));
    expect(await screen.findByTestId("dataset-map-refused")).toHaveTextContent(message);
    expect(screen.queryByTestId("dataset-map")).toBeNull();
    expect(drawn.calls).toHaveLength(0);
  });
});

const artifact = (over: Partial<Artifact>): Artifact => ({
  id: "a1",
  thread_id: "t1",
  filename: "map-quartieri.html",
  mime: "text/html",
  size: 40_000,
  sha256: "x",
  created_at: "2026-01-01T00:00:00Z",
  url: "/blobs/map?sig=1",
  ...over,
});

describe("gallery thumbnail of an HTML artifact", () => {
  afterEach(() => vi.unstubAllGlobals());

  function renderGallery(items: Artifact[]) {
    vi.stubGlobal("fetch", vi.fn(async () => json({ items })));
    const onOpen = vi.fn();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <GalleryPanel threadId="t1" onOpen={onOpen} />
      </QueryClientProvider>,
    );
    return onOpen;
  }

  it("is the page itself, scaled down in a frame whose scripts never get the app's origin; a click opens it", async () => {
    const map = artifact({});
    const onOpen = renderGallery([map]);
    const frame = await screen.findByTestId("html-thumbnail");
    expect(frame.getAttribute("sandbox")).toBe("allow-scripts");
    expect(frame).toHaveAttribute("src", map.url);
    expect(frame).toHaveAttribute("loading", "lazy");
    expect(frame).toHaveAttribute("tabindex", "-1");
    expect(frame.closest("button")).toBeNull(); // no interactive content inside a button
    await userEvent.click(screen.getByRole("button", { name: "Open map-quartieri.html" }));
    expect(onOpen).toHaveBeenCalledWith(map);
  });

  it("is a card with the title when the page is too large to render small", async () => {
    renderGallery([artifact({ filename: "grande.html", size: HTML_THUMBNAIL_MAX_BYTES + 1 })]);
    expect(await screen.findByTestId("html-thumbnail-placeholder")).toHaveTextContent("grande");
    expect(screen.queryByTestId("html-thumbnail")).toBeNull();
  });
});
