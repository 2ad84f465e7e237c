-- The statements of more than one line the export runs (warehouse/export.py), on the published warehouse.
-- {table} and {order} come from export.py's fixed table list, {columns} from the table's own DESCRIBE,
-- {path} is a quoted file path under the export folder.

-- name: copy_parquet
-- One table as Parquet, every column as it is.
COPY (SELECT * FROM {table} ORDER BY {order})
TO {path} (FORMAT parquet, COMPRESSION zstd)

-- name: copy_csv
-- One table as CSV: lists and structs as JSON text, timestamps in UTC, formula-like text behind a quote.
COPY (SELECT {columns} FROM {table} ORDER BY {order})
TO {path} (FORMAT csv, HEADER)
