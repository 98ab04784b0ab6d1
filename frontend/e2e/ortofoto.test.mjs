// End-to-end (issue 16): the analyst's get_ortofoto and compare_ortofoto render in the chat as Leaflet maps
// whose tiles come from the configured tile host (the fake XYZ server) and everything else from the app;
// view_3d_model shows a link card to the city's 3D viewer.
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

/** How many tiles of `frame` (or of one pane of it) finished loading as real images, and their sources. */
async function loadedTiles(frame, pane = "") {
  const tiles = frame.locator(`${pane} img.leaflet-tile.leaflet-tile-loaded`);
  await tiles.first().waitFor();
  return tiles.evaluateAll((imgs) =>
    imgs.filter((i) => i.complete && i.naturalWidth === 256).map((i) => new URL(i.src).pathname),
  );
}

test("the analyst's aerial photos draw their tiles from the tile host only, and compare shows both years", async () => {
  const script = {
    turns: [
      {
        when: { has_tools: true, last_role: "user", user_contains: "foto aerea" },
        tool_calls: [{ name: "get_ortofoto", args: { year: 2024, place: "Piazza Maggiore" } }],
      },
      {
        when: { has_tools: true, last_role: "tool", tool_contains: '"year": 2024' },
        tool_calls: [{ name: "compare_ortofoto", args: { year_a: 2017, year_b: 2024, place: "Piazza Maggiore" } }],
      },
      {
        when: { has_tools: true, last_role: "tool", tool_contains: '"year_b": 2024' },
        tool_calls: [{ name: "view_3d_model", args: { place: "Piazza Maggiore" } }],
      },
      { when: { has_tools: true, last_role: "tool", tool_contains: "Bologna3D" }, content: "Ecco le foto aeree e il modello 3D." },
    ],
  };
  const res = await fetch(server.fake_llm_url + "/_script", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(script),
  });
  assert.equal(res.status, 200);
  const { context, page } = await newPage(browser);
  context.setDefaultTimeout(60_000);
  const requested = [];
  context.on("request", (r) => requested.push(r.url()));
  await page.goto(server.url + "/");
  await page.getByTestId("new-thread").click();
  await page.getByLabel("Message").fill("Mostrami una foto aerea di Piazza Maggiore");
  await page.getByLabel("Message").press("Enter");
  await page.getByText("Ecco le foto aeree e il modello 3D.").waitFor();
  await page.getByTestId("message-assistant").last().getByRole("button", { name: /\d+ steps?/ }).click();

  const single = page
    .getByTestId("tool-card")
    .filter({ hasText: "get_ortofoto" })
    .getByTestId("artifact")
    .filter({ hasText: "ortofoto-2024-Piazza-Maggiore.html" });
  await single.waitFor();
  const oneFrame = single.frameLocator("iframe");
  const drawn = await loadedTiles(oneFrame);
  assert.ok(drawn.length >= 1, "tiles were drawn");
  assert.ok(drawn.every((p) => p.startsWith("/Ortofoto2024/")), drawn.join("\n"));
  await oneFrame.locator("#year-a", { hasText: "Ortofoto 2024" }).waitFor();

  const compare = page
    .getByTestId("tool-card")
    .filter({ hasText: "compare_ortofoto" })
    .getByTestId("artifact")
    .filter({ hasText: "ortofoto-2017-vs-2024-Piazza-Maggiore.html" });
  await compare.waitFor();
  const twoFrame = compare.frameLocator("iframe");
  const left = await loadedTiles(twoFrame, ".leaflet-yearA-pane");
  const right = await loadedTiles(twoFrame, ".leaflet-yearB-pane");
  assert.ok(left.length >= 1 && left.every((p) => p.startsWith("/Ortofoto2017/")), left.join("\n"));
  assert.ok(right.length >= 1 && right.every((p) => p.startsWith("/Ortofoto2024/")), right.join("\n"));
  assert.equal(await twoFrame.locator("#year-a").textContent(), "Ortofoto 2017");
  assert.equal(await twoFrame.locator("#year-b").textContent(), "Ortofoto 2024");
  // the swipe: 2024 shows right of the slider; dragging it left uncovers more of 2024
  const pane = twoFrame.locator(".leaflet-yearB-pane");
  const clipAt = async () => Number(/rect\(\s*[-\d.]+px,\s*[-\d.]+px,\s*[-\d.]+px,\s*([-\d.]+)px\)/.exec(await pane.evaluate((el) => el.style.clip))?.[1]);
  const middle = await clipAt();
  await twoFrame.locator("#swipe").fill("0.1");
  const moved = await clipAt();
  assert.ok(Number.isFinite(middle) && moved < middle, `clip's left edge ${middle} → ${moved}`);
  await screenshots(page, "16-ortofoto-compare");

  const link = page.getByTestId("tool-card").filter({ hasText: "view_3d_model" }).getByTestId("link-card");
  assert.match(await link.getAttribute("href"), /^https:\/\/sitmappe\.comune\.bologna\.it\/Bologna3D\/\?center=11\.34/);
  assert.equal(await link.getAttribute("target"), "_blank");

  const app = new URL(server.url).host;
  const tileHost = new URL(server.tiles_url).host;
  const elsewhere = requested.filter((u) => !u.startsWith("data:") && ![app, tileHost].includes(new URL(u).host));
  assert.deepEqual(elsewhere, [], "only the app and the configured tile host are asked");
  assert.ok(requested.some((u) => new URL(u).host === tileHost), "tiles came from the tile host");
  assert.ok(requested.some((u) => u.endsWith("/static/map-assets/leaflet@1.9.3/dist/leaflet.js")), "Leaflet from the app");
  const served = await (await fetch(server.tiles_url + "/_requests")).json();
  for (const year of [2017, 2024]) {
    assert.ok(served.some((r) => r.year === year && r.status === 200), `tiles of ${year} were served`);
  }
  await context.close();
});
