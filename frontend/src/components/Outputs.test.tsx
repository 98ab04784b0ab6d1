import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ExecutionResult, RichOutput } from "../api/types";
import { ExecutionOutputs, prettyJson, shownOutputs } from "./Outputs";

const out = (mime: string, data: string, bundle: number, is_result = false): RichOutput => ({ mime, data, bundle, is_result });
const result = (outputs: RichOutput[]): ExecutionResult =>
  ({ ok: true, stdout: "", stderr: "", outputs, artifacts: [], notes: [] }) as unknown as ExecutionResult;

describe("shownOutputs (issue 14: Jupyter MIME bundles)", () => {
  it("shows one representation per bundle, the richest this app draws", () => {
    const shown = shownOutputs([
      out("text/html", "<b>t</b>", 0, true),
      out("text/plain", "t", 0, true),
      out("image/png", "iVBORw0KGgo=", 1),
      out("text/plain", "<Figure size 640x480 with 1 Axes>", 1),
      out("application/json", '{"a":1}', 2),
      out("text/plain", "{'a': 1}", 2),
      out("application/vnd.plotly.v1+json", '{"data":[]}', 3),
      out("text/plain", "Figure()", 3),
      out("text/latex", "$x^2$", 4),
      out("text/plain", "<IPython.core.display.Latex object>", 4),
    ]);
    expect(shown.map((o) => [o.bundle, o.mime])).toEqual([
      [0, "text/html"],
      [1, "image/png"],
      [2, "application/json"],
      [3, "text/plain"], // no interactive chart yet: its text
      [4, "text/latex"],
    ]);
  });

  it("draws JSON indented, Markdown as Markdown and a figure without its text", () => {
    render(
      <ExecutionOutputs
        result={result([
          out("application/json", '{"a":[1,2]}', 0, true),
          out("text/plain", "{'a': [1, 2]}", 0, true),
          out("text/markdown", "**bold**", 1),
          out("text/plain", "<IPython.core.display.Markdown object>", 1),
          out("image/png", "iVBORw0KGgo=", 2),
          out("text/plain", "<Figure size 640x480 with 1 Axes>", 2),
        ])}
      />,
    );
    expect(screen.getByTestId("cell-json").textContent).toBe(prettyJson('{"a":[1,2]}'));
    expect(screen.getByText("bold").tagName).toBe("STRONG");
    expect(screen.getByRole("img")).toBeInTheDocument();
    expect(screen.queryByText(/Figure size/)).toBeNull();
    expect(screen.queryByText(/Markdown object/)).toBeNull();
  });

  it("keeps text that is not JSON as it is", () => {
    expect(prettyJson("{oops")).toBe("{oops");
  });
});
