from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Member

pytestmark = pytest.mark.django_db


def _write(tmp_path, text):  # type: ignore[no-untyped-def]
    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_every_row_of_a_good_file(tmp_path, capsys):
    path = _write(tmp_path, "membership_number,name,email,branch,joined_on\nM1,Ann Lee,ann@example.org,North,2020-01-31\nM2,Bo Chan,,South,\n")
    call_command("import_members", str(path))
    assert sorted(Member.objects.values_list("membership_number", flat=True)) == ["M1", "M2"]
    assert AuditEvent.objects.filter(action="members.imported").count() == 1
    assert "2 new" in capsys.readouterr().out


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(tmp_path, capsys):
    path = _write(tmp_path, "membership_number,name,email,joined_on,status\nM1,Ann Lee,ann@example.org,2020-01-31,active\n,No Number,,,\nM3,,not-an-email,31/01/2020,gone\nM1,Dup,,,\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_members", str(path))
    errors = capsys.readouterr().err
    assert "line 3: membership_number is empty" in errors
    assert "line 4: name is empty" in errors
    assert "line 4: email 'not-an-email' is not an email address" in errors
    assert "line 4: joined_on '31/01/2020' is not a date" in errors
    assert "line 4: status 'gone' is not one of" in errors
    assert "line 5: membership_number M1 repeats line 2" in errors
    assert Member.objects.count() == 0


def test_a_file_without_the_required_columns_is_refused(tmp_path, capsys):
    path = _write(tmp_path, "number,fullname\n1,Ann\n")
    with pytest.raises(CommandError):
        call_command("import_members", str(path))
    assert "missing column(s) membership_number, name" in capsys.readouterr().err


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No file at"):
        call_command("import_members", str(tmp_path / "nope.csv"))


def test_importing_again_updates_rather_than_duplicates(tmp_path):
    call_command("import_members", str(_write(tmp_path, "membership_number,name\nM1,Ann Lee\n")))
    call_command("import_members", str(_write(tmp_path, "membership_number,name\nM1,Ann Lee-Smith\n")))
    assert list(Member.objects.values_list("name", flat=True)) == ["Ann Lee-Smith"]
