"""Create the single append point, and make the database itself refuse edits to audit rows."""

from django.db import migrations

from fairhearing.audit import triggers


def forwards(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})
    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
