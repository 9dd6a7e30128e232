"""Rows into PostgreSQL through COPY, in its text format."""
import io


def _field(value):
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def lines(rows):
    """Rows (sequences of values, None for NULL) in COPY's text format."""
    return "".join("\t".join(map(_field, row)) + "\n" for row in rows)


def copy_rows(cursor, table, columns, rows):
    """COPY rows (sequences of values, None for NULL) into table's columns."""
    copy_lines(cursor, table, columns, lines(rows))


def copy_lines(cursor, table, columns, data):
    """COPY what lines() made, as a str or in UTF-8, into table's columns."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", stream)
