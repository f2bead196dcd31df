import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { DataTable, type Column } from "./DataTable";

type Row = { name: string; cpu: number };
const columns: Column<Row>[] = [
  { key: "name", header: "Name", cell: (r) => r.name, sortValue: (r) => r.name },
  { key: "cpu", header: "CPU", cell: (r) => r.cpu, sortValue: (r) => r.cpu },
];
const rows: Row[] = [
  { name: "node-b", cpu: 4 },
  { name: "node-a", cpu: 16 },
  { name: "edge-c", cpu: 8 },
];

function names(): string[] {
  return screen.getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell")[0]!.textContent ?? "");
}

describe("DataTable", () => {
  it("sorts by a column when its header is pressed, and reverses on a second press", async () => {
    render(<DataTable caption="Nodes" columns={columns} rows={rows} rowKey={(r) => r.name} />);
    await userEvent.click(screen.getByRole("button", { name: /CPU/ }));
    expect(names()).toEqual(["node-b", "edge-c", "node-a"]);
    expect(screen.getByRole("columnheader", { name: /CPU/ })).toHaveAttribute("aria-sort", "ascending");
    await userEvent.click(screen.getByRole("button", { name: /CPU/ }));
    expect(names()).toEqual(["node-a", "edge-c", "node-b"]);
  });

  it("keeps only the rows that contain the filter text and says how many", async () => {
    render(<DataTable caption="Nodes" columns={columns} rows={rows} rowKey={(r) => r.name} filterLabel="Filter nodes" />);
    await userEvent.type(screen.getByLabelText("Filter nodes"), "node");
    expect(names().sort()).toEqual(["node-a", "node-b"]);
    expect(screen.getByText("2 of 3")).toBeInTheDocument();
  });
});
