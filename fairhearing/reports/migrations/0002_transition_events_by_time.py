"""An index for the quarterly statistics: the transitions of a period, found by time.

Without it the report reads every audit event (ten million at a million cases) to find one
quarter's transitions. Partial, so appends of every other kind of event do not maintain it.
Built CONCURRENTLY on PostgreSQL so a live log keeps taking appends while it is built.
See docs/performance.md.
"""

from django.db import migrations

NAME = "reports_transitions_time_idx"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {NAME} ON audit_auditevent (occurred_at) "
        "WHERE action = 'case.transitioned'"
    )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("reports", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
