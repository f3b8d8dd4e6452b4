"""Inserting the rows an ingestion writes per file, as plain values.

What bulk_create writes, without the query building and per-field preparation it does for every
row: for the few hundred rows of a file (its stories and reads, their mentions, entities, band
keys and signatures) that work cost the writer more than the database's."""
from django.db import connection
from django.db.models.constants import OnConflict

# Parameters per statement, within every backend's limit (SQLite's 999 of old).
MAX_PARAMETERS = 999


def insert_rows(model, fields, rows, *, returning=(), ignore_conflicts=False) -> list[tuple]:
    """Insert rows of values ready for the database (see `prepared`) into these fields, in order,
    as many a statement as MAX_PARAMETERS allows; the `returning` fields of the rows inserted, in
    the same order (both backends return a multi-row INSERT's rows in the order of its VALUES, as
    bulk_create relies on too). `ignore_conflicts`: a row that breaks a unique constraint is left
    out, and returns nothing."""
    quote = connection.ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    fields = [model._meta.get_field(name) for name in fields]
    head = (f"{connection.ops.insert_statement(on_conflict=on_conflict)} {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) VALUES ")
    tail = " ".join(part for part in (
        connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None),
        returning and connection.ops.return_insert_columns([model._meta.get_field(name) for name in returning])[0],
    ) if part)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = MAX_PARAMETERS // len(fields)
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(head + ", ".join([placeholders] * len(chunk)) + (f" {tail}" if tail else ""),
                           [value for row in chunk for value in row])
            if returning:
                returned += cursor.fetchall()
    return returned


def prepared(instance, fields) -> list:
    """An unsaved instance's values for these fields as bulk_create would write them (defaults
    and auto_now filled in on the instance, each value prepared for the database)."""
    found = [instance._meta.get_field(name) for name in fields]
    return [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in found]
