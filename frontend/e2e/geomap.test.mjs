// End-to-end (issue 16): the Datasets panel previews a geographic dataset on a Leaflet map — the quartieri as
// filled polygons, the bus stops and a 10,000-point dataset clustered — with the base map's tiles from the
// configured MAP_TILES_URL. No tile server runs here (the normal case in tests): the tiles fail and the data is
// still drawn; the page asks no host but the app's and the tile host. Figure: time to first drawn map for
// 10,000 points.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, recordFigure, screenshots, startServer } from "./harness.mjs";

// a tile host with nothing listening (port 9, discard): every tile request fails
const TILES = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png";
const TILE_HOST = "127.0.0.1:9";
const POINTS = 10_000;

let server;
let browser;

before(async () => {
  server = await startServer(["--map-points", String(POINTS), "--map-tiles", TILES]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Requests to hosts other than the app's and the tile host (none expected). */
function strangers(requested) {
  const app = new URL(server.url).host;
  return requested.filter((u) => !u.startsWith("data:") && ![app, TILE_HOST].includes(new URL(u).host));
}

/** Open `title` from the Datasets panel (searching `q`) and wait for its map to be drawn. */
async function openMap(page, q, title) {
  await page.getByLabel("Search datasets").fill(q);
  await page.getByTestId("dataset-item").filter({ hasText: title }).first().click();
  const detail = page.getByTestId("dataset-detail");
  await detail.getByRole("heading", { name: title }).waitFor();
  const map = detail.locator('[data-testid="dataset-map"][data-drawn="true"]');
  await map.waitFor();
  return map;
}

/** Points shown: the counts on the clusters plus the single points, and the number of clusters. */
async function shownPoints(map) {
  const counts = await map.locator(".map-cluster").allTextContents();
  const singles = await map.locator("path.map-point").count();
  return { total: counts.reduce((sum, c) => sum + Number(c), 0) + singles, clusters: counts.length, singles };
}

test("quartieri as filled polygons and bus stops clustered, with popups; tiles down, data drawn", async () => {
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  const requested = [];
  context.on("request", (r) => requested.push(r.url()));
  await page.goto(server.url + "/");
  await page.getByRole("tab", { name: "Datasets" }).click();

  const quartieri = await openMap(page, "quartieri", "Quartieri di Bologna");
  assert.equal(await quartieri.locator("path.map-shape").count(), 6, "one filled path per quartiere");
  assert.notEqual(await quartieri.locator("path.map-shape").first().getAttribute("fill"), "none");
  await quartieri.locator("path.map-shape").first().click({ force: true });
  const popup = quartieri.locator(".leaflet-popup .map-popup");
  await popup.waitFor();
  assert.match(await popup.textContent(), /quartiere.*codice_quartiere.*area_kmq/s);
  assert.match(await quartieri.locator(".leaflet-control-attribution").textContent(), /OpenStreetMap/);
  await page.getByTestId("dataset-map-caption").filter({ hasText: "6 features" }).waitFor();
  await screenshots(page, "16-datasets-map-quartieri");

  const stops = await openMap(page, "fermate", "Fermate autobus TPER");
  const before = await shownPoints(stops);
  assert.equal(before.total, 250, "every stop is in a cluster or drawn on its own");
  assert.ok(before.clusters > 0, "the stops are clustered");
  await screenshots(page, "16-datasets-map-fermate");
  await stops.locator(".map-cluster").first().click();
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="dataset-map"] path.map-point').length > n,
    before.singles,
  );
  await stops.locator("path.map-point").first().click({ force: true });
  await stops.locator(".leaflet-popup .map-popup").filter({ hasText: "denominazione" }).waitFor();

  const tiles = requested.filter((u) => new URL(u).host === TILE_HOST);
  assert.ok(tiles.length > 0, "the base map asks the configured tile host");
  assert.deepEqual(strangers(requested), [], "no host but the app's and the tile host");
  await context.close();
});

/** Open the Datasets panel on a new page and time a click on `alberi` until its map is drawn (ms). */
async function timeAlberi(requested) {
  const { context, page } = await newPage(browser); // a new context: nothing in the browser's caches
  context.setDefaultTimeout(60_000);
  context.on("request", (r) => requested.push(r.url()));
  await page.goto(server.url + "/");
  await page.getByRole("tab", { name: "Datasets" }).click();
  await page.getByLabel("Search datasets").fill("alberi");
  const item = page.getByTestId("dataset-item").filter({ hasText: "Alberi" }).first();
  await item.waitFor();
  const started = Date.now();
  await item.click();
  const map = page.locator('[data-testid="dataset-map"][data-drawn="true"]');
  await map.waitFor();
  return { ms: Date.now() - started, page, context, map };
}

test(`time to first drawn map for a ${POINTS.toLocaleString("en")}-point dataset`, async () => {
  const requested = [];
  // first: the server downloads the portal's export and makes it GeoParquet (cached for later loads)
  const cold = await timeAlberi(requested);
  const shown = await shownPoints(cold.map);
  assert.equal(shown.total, POINTS, "all the points are on the map");
  assert.ok(shown.clusters > 0 && shown.clusters < 500, `${shown.clusters} clusters`);
  await screenshots(cold.page, "16-datasets-map-10000");
  await cold.context.close();
  // then, as anyone after the first: a new page (map code and data fetched again), the export cached
  const panel = await timeAlberi(requested);
  assert.equal((await shownPoints(panel.map)).total, POINTS);
  await panel.context.close();
  recordFigure(`time to first drawn map, ${POINTS} points, new page (ms)`, panel.ms, "≤ 1000");
  recordFigure(`time to first drawn map, ${POINTS} points, first ever: export downloaded (ms)`, cold.ms);
  assert.deepEqual(strangers(requested), []);
});

test("390×844: the map fits the Datasets sheet", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto(server.url + "/");
  await page.getByRole("tab", { name: "Datasets" }).click();
  const sheet = page.getByRole("dialog", { name: "Datasets" });
  await sheet.waitFor();
  const map = await openMap(page, "quartieri", "Quartieri di Bologna");
  assert.equal(await map.locator("path.map-shape").count(), 6);
  await map.scrollIntoViewIfNeeded();
  const b = await map.boundingBox();
  assert.ok(b.x >= 0 && b.x + b.width <= 390, `map spans ${b.x}..${b.x + b.width}`);
  const zoom = await map.locator(".leaflet-control-zoom-in").boundingBox();
  assert.ok(zoom.width >= 44 && zoom.height >= 44, "zoom buttons are 44 px touch targets");
  await screenshots(page, "16-datasets-map-390");
  await context.close();
});
