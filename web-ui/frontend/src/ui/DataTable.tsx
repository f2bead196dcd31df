import { useMemo, useState, type ReactNode } from "react";

export interface Column<T> {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The value to sort by; a column without one is not sortable. */
  sortValue?: (row: T) => string | number;
  /** The text a filter searches; defaults to the sort value. */
  filterText?: (row: T) => string;
}

type Sort = { key: string; descending: boolean };

/**
 * A table whose sortable headers are buttons (keyboard-reachable, aria-sort set) with an optional filter box that
 * narrows rows to those whose columns contain the text. A table wider than the screen scrolls in a region that takes
 * keyboard focus, so it can be scrolled without a mouse.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  initialSort,
  filterLabel,
  empty = "Nothing to show.",
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  initialSort?: Sort;
  filterLabel?: string;
  empty?: ReactNode;
}) {
  const [sort, setSort] = useState<Sort | undefined>(initialSort);
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    let result = needle
      ? rows.filter((row) =>
          columns.some((c) => {
            const text = c.filterText?.(row) ?? c.sortValue?.(row);
            return text !== undefined && String(text).toLowerCase().includes(needle);
          }),
        )
      : rows;
    const column = sort && columns.find((c) => c.key === sort.key);
    if (sort && column?.sortValue) {
      const value = column.sortValue;
      result = [...result].sort((a, b) => {
        const x = value(a);
        const y = value(b);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return sort.descending ? -order : order;
      });
    }
    return result;
  }, [rows, columns, sort, filter]);

  return (
    <div className="table-block">
      {filterLabel && (
        <div className="table-filter">
          <label>
            {filterLabel}{" "}
            <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </label>
          <span className="muted" aria-live="polite">
            {shown.length} of {rows.length}
          </span>
        </div>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="stack">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const sorted = sort?.key === c.key ? (sort.descending ? "descending" : "ascending") : undefined;
                return (
                  <th key={c.key} scope="col" aria-sort={sorted ?? (c.sortValue ? "none" : undefined)}>
                    {c.sortValue ? (
                      <button
                        type="button"
                        className="sort"
                        onClick={() => setSort({ key: c.key, descending: sort?.key === c.key ? !sort.descending : false })}
                      >
                        {c.header}
                        <span aria-hidden="true">{sorted === "ascending" ? " ▲" : sorted === "descending" ? " ▼" : ""}</span>
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) => (
                  <td key={c.key} data-label={c.header}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p className="empty">{empty}</p>}
    </div>
  );
}
