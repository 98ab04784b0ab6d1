// Shared pieces of the browser tests: the real server (start_server.py), Debian's Chromium through
// playwright-core, screenshots in light and dark, and the measured figures.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, "../..");
export const DIST = resolve(here, "../dist");
export const SHOTS = join(here, "screenshots");

/** Start the real server; resolves with {url, long_thread_id?, stop()}. */
export function startServer(args = []) {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("frontend/dist is missing: run `npm run build` first");
  // the project's virtualenv (made by `make setup`), else through uv
  const venvPython = join(REPO, ".venv", "bin", "python");
  const [cmd, pre] = existsSync(venvPython) ? [venvPython, []] : ["uv", ["run", "--frozen", "python"]];
  const proc = spawn(cmd, [...pre, "frontend/e2e/start_server.py", ...args], {
    cwd: REPO,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  let stderr = "";
  proc.stderr.on("data", (d) => {
    stderr += d;
    if (process.env.E2E_VERBOSE) process.stderr.write(d);
  });
  return new Promise((resolveStart, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start in 90 s:\n${stderr}`)), 90_000);
    let info = null;
    const waiting = []; // [{key, resolve}]: command() callers waiting for a reply line
    proc.stdout.on("data", (d) => {
      out += d;
      for (let nl = out.indexOf("\n"); nl !== -1 && info; nl = out.indexOf("\n")) {
        const reply = JSON.parse(out.slice(0, nl));
        out = out.slice(nl + 1);
        for (const w of waiting.splice(0)) {
          if (w.key in reply) w.resolve(reply);
          else waiting.push(w);
        }
      }
      const nl = out.indexOf("\n");
      if (info || nl === -1) return;
      clearTimeout(timer);
      info = JSON.parse(out.slice(0, nl));
      out = out.slice(nl + 1);
      /** A command to start_server.py on its stdin (e.g. "portal up"); resolves with its reply line. */
      info.command = (line, key) =>
        new Promise((resolveReply) => {
          waiting.push({ key, resolve: resolveReply });
          proc.stdin.write(line + "\n");
        });
      info.stop = () =>
        new Promise((done) => {
          if (proc.exitCode !== null) return done();
          proc.on("exit", () => done());
          proc.stdin.end();
          setTimeout(() => proc.kill("SIGTERM"), 5000);
        });
      info.stderr = () => stderr;
      resolveStart(info);
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${stderr}`));
    });
  });
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newPage(browser, { colorScheme = "light" } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return { context, page };
}

/** Save `name`-light.png and `name`-dark.png of the current screen. */
export async function screenshots(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate((s) => document.documentElement.classList.toggle("dark", s === "dark"), scheme);
    await page.waitForTimeout(50);
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
}

/** Gzipped size of the JS the first page load needs: the entry script and its modulepreloads. */
export function initialJsGzipBytes() {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const srcs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let total = 0;
  for (const src of new Set(srcs)) total += gzipSync(readFileSync(join(DIST, src))).length;
  return { total, files: [...new Set(srcs)] };
}

const figures = {};
export function recordFigure(name, value, goal) {
  figures[name] = { value, goal };
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, "figures.json"), JSON.stringify(figures, null, 2));
  console.log(`figure: ${name} = ${value}${goal ? ` (goal ${goal})` : ""}`);
}

// Waits until an <img> has loaded a real picture (at least `minWidth` pixels wide). Reading `complete` once
// right after the element appears races the download on a loaded machine.
export async function imageLoaded(page, img, minWidth = 1) {
  await img.waitFor();
  await page.waitForFunction(([el, min]) => el.complete && el.naturalWidth >= min, [await img.elementHandle(), minWidth]);
}
