"""Uploads with the disk full: a clear error and no half-stored complaint.

The evidence storage is pointed at a real, small file system (a 1 MB tmpfs mounted by the test,
which needs root) and the complaint form is sent through the real view. Without permission to
mount, that test is skipped, and the same promises are still checked with a storage that writes
part of a file and then fails as a full disk does (ENOSPC).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from fairhearing.audit.models import AuditEvent
from fairhearing.cases.models import Case, Complaint, Notification
from fairhearing.core.tests.faults import PDF, require
from fairhearing.intake.forms import form_started_token
from fairhearing.intake.models import Evidence

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

TYPED = {
    "complainant_name": "Sam Complainant", "complainant_email": "sam@example.org", "respondent_name": "Jo Bloggs",
    "account": "Jo shouted abuse at the branch meeting on 3 March.", "category": "bullying", "consent": "on",
    "where": "Branch meeting",
}


def _pdf(size: int) -> bytes:
    return PDF + b"%" + b"x" * max(0, size - len(PDF) - 2) + b"\n"


@contextlib.contextmanager
def _mounted_tmpfs(size: str) -> Iterator[Path]:
    require(shutil.which("mount") is not None, "mount is not available to make a small file system")
    where = Path(tempfile.mkdtemp(prefix="fh-faults-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
                             capture_output=True, text=True)
    try:
        require(mounted.returncode == 0, f"cannot mount a small tmpfs to fill (needs root): {mounted.stderr.strip()}")
        yield where
    finally:
        if mounted.returncode == 0 and subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)
        shutil.rmtree(where, ignore_errors=True)


def _fill(where: Path) -> Path:
    """Write zeros until the file system refuses: it is then full."""
    filler = where / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def _use_evidence_storage(settings: Any, backend: str, location: Path) -> None:
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": backend, "OPTIONS": {"location": str(location)}}}


def _post(client: Any, *files: SimpleUploadedFile) -> Any:
    return client.post("/complain/", {**TYPED, "started": form_started_token(), "files": list(files)})


@pytest.fixture(autouse=True)
def _complainant_not_in_a_hurry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fairhearing.intake.views.seconds_since", lambda token: 60.0)


def _assert_refused_and_nothing_kept(response: Any, events_before: int, location: Path, allowed: set[str]) -> None:
    page = response.content.decode()
    assert response.status_code == 503, page[:2000]
    assert "could not be stored" in page and "try again later" in page
    # What the complainant typed is shown again; only the files must be chosen again.
    for value in ("Sam Complainant", "sam@example.org", "Jo Bloggs", "Jo shouted abuse at the branch meeting on 3 March."):
        assert value in page
    assert "choose them again" in page
    assert Complaint.objects.count() == 0 and Case.objects.count() == 0 and Evidence.objects.count() == 0
    assert Notification.objects.count() == 0
    assert AuditEvent.objects.count() == events_before
    assert not AuditEvent.objects.filter(action="complaint.submitted").exists()
    left = {path.name for path in location.iterdir()}
    assert left == allowed, f"pieces of the refused upload remain: {sorted(left - allowed)}"


def test_a_full_disk_refuses_the_complaint_clearly_and_keeps_nothing_of_it(client, settings):
    with _mounted_tmpfs("1m") as disk:
        _use_evidence_storage(settings, "django.core.files.storage.FileSystemStorage", disk)
        filler = _fill(disk)
        events_before = AuditEvent.objects.count()

        response = _post(client, SimpleUploadedFile("screenshot.pdf", _pdf(20_000)))

        _assert_refused_and_nothing_kept(response, events_before, disk, {"filler"})

        # Once there is room again, the same complaint goes through, with its file.
        filler.unlink()
        response = _post(client, SimpleUploadedFile("screenshot.pdf", _pdf(20_000)))
        assert response.status_code == 302
        evidence = Evidence.objects.get(kind="file")
        assert (disk / evidence.stored_name).stat().st_size == evidence.size


def test_a_disk_that_fills_up_part_way_through_the_files_keeps_none_of_them(client, settings):
    # The first file fits; the second (large enough to be spooled to a temporary file and copied
    # across file systems) fills the disk part way through.
    with _mounted_tmpfs("1m") as disk:
        _use_evidence_storage(settings, "django.core.files.storage.FileSystemStorage", disk)
        events_before = AuditEvent.objects.count()

        response = _post(client, SimpleUploadedFile("first.pdf", _pdf(300_000)), SimpleUploadedFile("second.pdf", _pdf(3_000_000)))

        _assert_refused_and_nothing_kept(response, events_before, disk, set())


class FullDiskStorage(FileSystemStorage):
    """Writes the first part of a file, then fails as a full disk does."""

    def _save(self, name: str, content: Any) -> str:
        with open(self.path(name), "wb") as handle:
            handle.write(next(iter(content.chunks(1024))))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.path(name))


def test_a_storage_that_fails_with_no_space_refuses_the_complaint_clearly_and_keeps_nothing(client, settings, tmp_path):
    _use_evidence_storage(settings, f"{__name__}.FullDiskStorage", tmp_path)
    events_before = AuditEvent.objects.count()

    response = _post(client, SimpleUploadedFile("screenshot.pdf", _pdf(20_000)))

    _assert_refused_and_nothing_kept(response, events_before, tmp_path, set())
