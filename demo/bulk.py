"""Loading many rows fast, then telling PostgreSQL's planner about them: COPY on PostgreSQL and
bulk_create batches elsewhere, then ANALYZE."""

from collections.abc import Callable, Iterable

from django.db import connection

# label, rows done, rows in all
Progress = Callable[[str, int, int], None]


def bulk_insert(model, columns, rows: Iterable[tuple], *, total, label, report, chunk=20_000):
    """Inserts plain tuples, one value per column in `columns`; returns how many."""
    report(label, 0, total)
    done = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        table = model._meta.db_table
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
                if done % chunk == 0:
                    report(label, done, total)
    else:
        fields = [model._meta.get_field(_field_name(model, column)) for column in columns]
        batch = []
        for row in rows:
            batch.append(model(**{f.attname: value for f, value in zip(fields, row, strict=True)}))
            if len(batch) >= 2_000:
                model.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                report(label, done, total)
        model.objects.bulk_create(batch)
        done += len(batch)
    report(label, done, total)
    return done


def _field_name(model, column):
    for model_field in model._meta.concrete_fields:
        if model_field.column == column:
            return model_field.name
    raise ValueError(f"{model.__name__} has no column {column}")


def refresh_statistics(models, *, progress: Progress | None = None) -> None:
    """After a bulk load, what autovacuum would do a minute later: the planner gets the new row
    counts now (with the old ones it can plan a scan of the whole table for what is now an index
    lookup), and the rows a reset deleted are vacuumed now rather than by an autovacuum that
    happens to start in the middle of whatever runs next. ANALYZE alone inside a transaction,
    where VACUUM cannot run."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for number, model in enumerate(models, start=1):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
            if progress:
                progress(f"{command.lower()}", number, len(models))
