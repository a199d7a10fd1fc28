from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fairhearing.intake.files import FileRefused, check_file
from fairhearing.intake.tests.helpers import PDF, PNG


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, kind", [
    ("a.pdf", PDF, "pdf"), ("b.png", PNG, "png"), ("c.txt", "Grüße, plain text\n".encode(), "txt"), ("d.docx", _docx(), "docx"),
])
def test_it_accepts_allowed_kinds_by_their_content(name, content, kind):
    assert check_file(SimpleUploadedFile(name, content)).kind == kind


@pytest.mark.parametrize("name, content, words", [
    ("photo.jpg", PDF, "content is a PDF"),
    ("notes.txt", PNG, "content is a PNG"),
    ("doc.pdf", b"hello there", "content is plain text"),
    ("prog.exe", b"MZ\x90\x00\x03" + b"\x00" * 60 + b"PE\x00\x00", "not a kind of file"),
    ("blob.txt", b"abc\x00def", "not a kind of file"),
    ("empty.pdf", b"", "empty"),
])
def test_it_refuses_a_file_whose_content_does_not_match_or_is_not_allowed(name, content, words):
    with pytest.raises(FileRefused, match=words) as refused:
        check_file(SimpleUploadedFile(name, content))
    assert name in str(refused.value)


def test_it_refuses_a_file_over_10_mb_with_its_size():
    with pytest.raises(FileRefused, match="10 MB"):
        check_file(SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)))
