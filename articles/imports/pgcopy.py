"""Rows into PostgreSQL through COPY, in its text format."""
import io


def _field(value):
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(cursor, table, columns, rows):
    """COPY rows (sequences of values, None for NULL) into table's columns."""
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(_field, row)) + "\n" for row in rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
