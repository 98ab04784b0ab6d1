// Issue 20: the lightbox says where an artifact came from: the cell that wrote it and the dataset versions.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Artifact, Provenance as ProvenanceData } from "../api/types";
import { ReadOnly } from "../lib/readonly";
import { Provenance } from "./Provenance";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

function wrap(node: ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={qc}>{node}</QueryClientProvider>);
}

const artifact = { id: "a1", thread_id: "t1", filename: "chart.png", mime: "image/png", size: 10, sha256: "f".repeat(64), created_at: "2026-12-07T10:00:00Z", url: "/x", execution_id: "e1", tool_call_id: null } as Artifact;

const data: ProvenanceData = {
  artifact,
  execution: { id: "e1", ok: true, stdout: "", stderr: "", outputs: [], error: null, artifacts: [], duration_ms: 5, notes: [], execution_count: 3, code: "d = pd.read_parquet('datasets/incidenti.parquet')", source: "agent", created_at: "2026-12-07T10:00:00Z" },
  datasets: [{ dataset_id: "incidenti", source: "opendata", modified: "2026-11-30T08:00:00Z", etag: '"abc"', sha256: "0123456789abcdef".repeat(4), rows: 1234, license: "CC BY 4.0", loaded_at: "2026-12-07T09:59:00Z" }],
};

afterEach(() => vi.unstubAllGlobals());

describe("Provenance", () => {
  it("shows the cell that wrote the artifact and the version of each dataset it read", async () => {
    const fetchMock = vi.fn(async () => json(data));
    vi.stubGlobal("fetch", fetchMock);
    wrap(<Provenance artifact={artifact} />);
    const cell = await screen.findByTestId("provenance-cell");
    expect(cell.textContent).toContain("The analyst's cell In [3]");
    expect(cell.textContent).toContain("read_parquet('datasets/incidenti.parquet')");
    const row = within(screen.getByTestId("provenance-datasets")).getByText("incidenti").closest("tr")!;
    expect(row.textContent).toContain("CC BY 4.0");
    expect(row.textContent).toContain((1234).toLocaleString());
    expect(within(row).getByTitle(data.datasets[0].sha256).textContent).toBe("0123456789ab…");
    expect(fetchMock).toHaveBeenCalledWith("/api/artifacts/a1/provenance", expect.anything());
  });

  it("says so when no recorded cell wrote it and no dataset was read", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => json({ ...data, execution: null, datasets: [] })));
    wrap(<Provenance artifact={artifact} />);
    expect(await screen.findByText("No recorded cell wrote this file.")).toBeInTheDocument();
    expect(screen.getByText("It read no dataset of the portal.")).toBeInTheDocument();
  });

  it("asks nothing on a shared, read-only page", () => {
    const fetchMock = vi.fn(async () => json(data));
    vi.stubGlobal("fetch", fetchMock);
    wrap(
      <ReadOnly.Provider value={true}>
        <Provenance artifact={artifact} />
      </ReadOnly.Provider>,
    );
    expect(screen.queryByTestId("provenance")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
