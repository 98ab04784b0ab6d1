// End-to-end (issue 16): a folium map shown as a cell's value renders in the Notebook panel and the gallery, and
// the analyst's show_map renders in the chat, with scripts running in a sandboxed iframe; the page asks no host
// but the app's for anything.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, newPage, screenshots, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const MAP_CELL = [
  "import folium",
  "m = folium.Map(location=[44.4949, 11.3426], zoom_start=13, tiles=None)",
  "for lat, lon in [(44.4938, 11.3430), (44.4990, 11.3390), (44.4880, 11.3500)]:",
  "    folium.Marker([lat, lon], popup=f'{lat},{lon}').add_to(m)",
  "folium.GeoJson({'type': 'Feature', 'properties': {}, 'geometry': {'type': 'Polygon', 'coordinates':",
  "    [[[11.33, 44.49], [11.35, 44.49], [11.35, 44.50], [11.33, 44.49]]]}}).add_to(m)",
  "folium.PolyLine([[44.49, 11.33], [44.50, 11.36]]).add_to(m)",
  "m",
].join("\n");

/** Wait until the map inside `frame` has drawn 3 markers and 2 vector paths; the counts found. */
async function drawnFeatures(frame) {
  await frame.locator(".leaflet-marker-icon").nth(2).waitFor();
  await frame.locator("path.leaflet-interactive").nth(1).waitFor();
  return {
    markers: await frame.locator(".leaflet-marker-icon").count(),
    paths: await frame.locator("path.leaflet-interactive").count(),
    // loaded, or the load still to come (read once, `complete` raced the download on a loaded machine)
    markerLoaded: await frame.locator("img.leaflet-marker-icon").first().evaluate((img) =>
      img.complete
        ? img.naturalWidth > 0
        : new Promise((done) => {
            img.addEventListener("load", () => done(img.naturalWidth > 0), { once: true });
            img.addEventListener("error", () => done(false), { once: true });
          }),
    ),
  };
}

test("a folium map value renders in the notebook and the gallery, loading nothing from other hosts", async () => {
  const res = await fetch(server.url + "/api/threads", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Map test" }),
  });
  const thread = await res.json();
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000); // the first cell starts the sandbox
  const requested = [];
  context.on("request", (r) => requested.push(r.url()));

  await page.goto(`${server.url}/t/${thread.id}`);
  await page.getByRole("tab", { name: "Notebook" }).click();
  await page.getByLabel("Code cell").fill(MAP_CELL);
  await page.getByRole("button", { name: "▶ Run" }).click();
  const cell = page.getByTestId("notebook-cell").first();
  await cell.getByTestId("artifact").waitFor();
  assert.equal(await cell.getByText("Make this Notebook Trusted").count(), 0);
  const iframe = cell.locator("iframe");
  assert.equal(await iframe.getAttribute("sandbox"), "allow-scripts allow-popups", "scripts on, never same-origin");
  const inNotebook = await drawnFeatures(cell.frameLocator("iframe"));
  assert.deepEqual(inNotebook, { markers: 3, paths: 2, markerLoaded: true });
  await screenshots(page, "16-map-notebook");

  await page.getByRole("tab", { name: "Gallery" }).click();
  // the gallery's thumbnail is the map itself, scaled down in a frame that runs scripts without our origin
  const thumb = page.getByTestId("gallery-item").filter({ hasText: "map-1.html" }).getByTestId("html-thumbnail");
  assert.equal(await thumb.getAttribute("sandbox"), "allow-scripts");
  const inThumbnail = await drawnFeatures(page.frameLocator('[data-testid="html-thumbnail"]'));
  assert.deepEqual(inThumbnail, { markers: 3, paths: 2, markerLoaded: true });
  const box = await thumb.boundingBox();
  assert.ok(box.width > 150 && box.width < 400, `the thumbnail is ${box.width} px wide`);
  await screenshots(page, "16-gallery-thumbnail");
  await page.getByRole("button", { name: /Open map-1\.html/ }).click();
  const lightbox = page.getByTestId("lightbox");
  assert.deepEqual(await drawnFeatures(lightbox.frameLocator("iframe")), { markers: 3, paths: 2, markerLoaded: true });

  const app = new URL(server.url);
  const elsewhere = requested.filter((u) => !u.startsWith("data:") && new URL(u).host !== app.host);
  assert.deepEqual(elsewhere, [], "every request goes to the app");
  const assets = requested.filter((u) => new URL(u).pathname.startsWith("/static/map-assets/"));
  assert.ok(assets.some((u) => u.endsWith("/leaflet@1.9.3/dist/leaflet.js")), assets.join("\n"));
  assert.ok(assets.some((u) => u.endsWith("/images/marker-icon.png")), "the marker image comes from the app");
  await context.close();
});

/** Every request went to the app (the map's scripts, styles and images included). */
function assertOnlyTheApp(requested) {
  const app = new URL(server.url);
  const elsewhere = requested.filter((u) => !u.startsWith("data:") && new URL(u).host !== app.host);
  assert.deepEqual(elsewhere, [], "every request goes to the app");
}

test("the analyst's show_map draws the quartieri in the chat", async () => {
  const script = {
    turns: [
      {
        when: { has_tools: true, last_role: "user", user_contains: "mappa dei quartieri" },
        tool_calls: [{ name: "select_dataset", args: { dataset_id: "quartieri" } }],
      },
      {
        when: { has_tools: true, last_role: "tool", tool_contains: "datasets/quartieri.parquet" },
        tool_calls: [{ name: "show_map", args: { path_or_dataset: "quartieri", column: "area_kmq" } }],
      },
      { when: { has_tools: true, last_role: "tool", tool_contains: '"features": 6' }, content: "Ecco la mappa dei sei quartieri." },
    ],
  };
  const res = await fetch(server.fake_llm_url + "/_script", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(script),
  });
  assert.equal(res.status, 200);
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(90_000);
  const requested = [];
  context.on("request", (r) => requested.push(r.url()));
  await page.goto(server.url + "/");
  await page.getByTestId("new-thread").click();
  await page.getByLabel("Message").fill("Fammi una mappa dei quartieri per area");
  await page.getByLabel("Message").press("Enter");
  await page.getByText("Ecco la mappa dei sei quartieri.").waitFor();
  // a finished turn's calls are folded into one "n steps" line (issue 15): open it to see the show_map card
  const steps = page.getByTestId("message-assistant").last().getByRole("button", { name: /\d+ steps?/ });
  await steps.click();
  const card = page.getByTestId("tool-card").filter({ hasText: "show_map" });
  const map = card.getByTestId("artifact").filter({ hasText: "map-quartieri-area_kmq.html" });
  await map.waitFor();
  const frame = map.frameLocator("iframe");
  await frame.locator("path.leaflet-interactive").nth(5).waitFor();
  assert.equal(await frame.locator("path.leaflet-interactive").count(), 6, "six quartieri");
  await frame.locator(".legend, svg text").first().waitFor(); // the colour scale of area_kmq
  await screenshots(page, "16-map-chat");
  assertOnlyTheApp(requested);
  await context.close();
});
