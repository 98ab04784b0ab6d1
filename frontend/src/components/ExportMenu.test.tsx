import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ExportMenu } from "./ExportMenu";

describe("ExportMenu", () => {
  it("offers the thread as a notebook, a script, an HTML report and Markdown, each a download", async () => {
    render(<ExportMenu threadId="3f2a" touch="" />);
    await userEvent.click(screen.getByText("Export"));
    const links = screen.getAllByRole("link");
    expect(links.map((a) => a.getAttribute("href"))).toEqual([
      "/api/threads/3f2a/export?format=ipynb",
      "/api/threads/3f2a/export?format=py",
      "/api/threads/3f2a/export?format=html",
      "/api/threads/3f2a/export?format=md",
    ]);
    expect(links.every((a) => a.hasAttribute("download"))).toBe(true);
    expect(screen.getByText("Notebook (.ipynb)")).toBeTruthy();
  });
});
