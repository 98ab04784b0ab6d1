// Generate src/api/schema.d.ts from the backend's OpenAPI document (uv run ... create_app().openapi()).
// `--check` fails when the committed file differs from what the current backend produces.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const out = resolve(here, "../src/api/schema.d.ts");
const code = "from lgurban.app import create_app; import json; print(json.dumps(create_app().openapi()))";
// the project's .venv when `make setup` made it (uv need not be on PATH), else uv
const venvPython = resolve(repo, ".venv/bin/python");
const [cmd, args] = existsSync(venvPython)
  ? [venvPython, ["-c", code]]
  : ["uv", ["run", "--frozen", "python", "-c", code]];
const doc = JSON.parse(execFileSync(cmd, args, { cwd: repo, encoding: "utf8" }));
const header = "// Generated from the backend's /openapi.json by scripts/gen-api.mjs. Do not edit.\n";
const text = header + astToString(await openapiTS(doc));
if (process.argv.includes("--check")) {
  const current = readFileSync(out, "utf8");
  if (current !== text) {
    console.error("src/api/schema.d.ts is out of date: run `npm run gen:api` in frontend/");
    process.exit(1);
  }
  console.log("src/api/schema.d.ts is current");
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
