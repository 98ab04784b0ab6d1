// The Datasets panel's map of a geo dataset (issue 16), loaded on demand: Leaflet and supercluster are not in
// the first page load (and this module imports no React, so React stays in the first page's chunk rather than
// a shared one). Points are clustered (supercluster, redrawn on each move), shapes filled; a click opens a
// popup with the record's fields. The base map is the server's MAP_TILES_URL: when its tiles cannot be
// reached (or none is set) the data is drawn on the plain background.
import L from "leaflet";
import Supercluster from "supercluster";
import "leaflet/dist/leaflet.css";
import "./leafletMap.css";
import type { MapTiles } from "../api/types";
import { type Feature, clusterSize, featuresBounds, popupContent, splitFeatures } from "./geomap";

const ICON_PX: Record<ReturnType<typeof clusterSize>, L.PointTuple> = { s: [30, 30], m: [36, 36], l: [46, 46] };
const BOLOGNA: L.LatLngExpression = [44.4949, 11.3426];
const SHAPE_STYLE: L.PathOptions = { color: "#0369a1", weight: 1.5, fillColor: "#0ea5e9", fillOpacity: 0.35, className: "map-shape" };
const POINT_STYLE: L.CircleMarkerOptions = { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#0369a1", fillOpacity: 0.9, className: "map-point" };

function openPopup(map: L.Map, at: L.LatLngExpression, properties: Feature["properties"]) {
  // on the map, not on the marker: a move redraws the clusters, and the popup stays open
  L.popup({ maxWidth: 320, maxHeight: 260 }).setLatLng(at).setContent(popupContent(properties)).openOn(map);
}

function clusterLayer(map: L.Map, features: Feature[], points: ReturnType<typeof splitFeatures>["points"]) {
  // radius in screen pixels: supercluster measures it against `extent`, and a Leaflet tile is 256 px
  const index = new Supercluster<{ i: number }>({ radius: 60, extent: 256, maxZoom: 17 }).load(points);
  const layer = L.layerGroup().addTo(map);
  const redraw = () => {
    const b = map.getBounds();
    layer.clearLayers();
    for (const c of index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], Math.floor(map.getZoom()))) {
      const [lon, lat] = c.geometry.coordinates;
      const props = c.properties as { cluster?: boolean; cluster_id?: number; point_count?: number; i?: number };
      if (props.cluster) {
        const count = props.point_count ?? 0;
        const size = clusterSize(count);
        const icon = L.divIcon({ html: `<span>${count}</span>`, className: `map-cluster map-cluster-${size}`, iconSize: ICON_PX[size] });
        L.marker([lat, lon], { icon, title: `${count} points`, keyboard: false })
          .on("click", () => map.setView([lat, lon], index.getClusterExpansionZoom(props.cluster_id!)))
          .addTo(layer);
      } else {
        L.circleMarker([lat, lon], POINT_STYLE)
          .on("click", () => openPopup(map, [lat, lon], features[props.i!]?.properties))
          .addTo(layer);
      }
    }
  };
  map.on("moveend", redraw);
  return redraw;
}

/** Draw `features` in `el`; returns the function that removes the map. */
export function drawDatasetMap(el: HTMLElement, features: Feature[], tiles: MapTiles | null): () => void {
  const map = L.map(el, { scrollWheelZoom: false });
  // the wheel zooms once the map has been clicked or focused, so scrolling the panel is never caught
  map.on("focus", () => map.scrollWheelZoom.enable());
  map.on("blur", () => map.scrollWheelZoom.disable());
  if (tiles?.url) L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  const { points, shapes } = splitFeatures(features);
  if (shapes.length) {
    L.geoJSON(shapes as unknown as GeoJSON.Feature[], {
      style: () => SHAPE_STYLE,
      pointToLayer: (_f, at) => L.circleMarker(at, POINT_STYLE),
      onEachFeature: (f, layer) => layer.on("click", (e: L.LeafletMouseEvent) => openPopup(map, e.latlng, f.properties)),
    }).addTo(map);
  }
  const redraw = clusterLayer(map, features, points);
  const box = featuresBounds(features);
  if (box) map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { padding: [16, 16], maxZoom: 16, animate: false });
  else map.setView(BOLOGNA, 12, { animate: false });
  redraw();
  return () => map.remove();
}
