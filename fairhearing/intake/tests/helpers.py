"""Builders shared by the intake tests."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from fairhearing.intake.services import ComplaintInput, complaint_submit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def upload(name: str = "evidence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def data(**overrides: Any) -> ComplaintInput:
    values: dict[str, Any] = {
        "category": "antisemitism", "respondent_name": "Jo Bloggs", "account": "At the branch meeting Jo said something antisemitic.",
        "complainant_name": "Sam Complainant", "complainant_email": "sam@example.org",
    }
    values.update(overrides)
    return ComplaintInput(**values)


def submit(**overrides: Any) -> Any:
    ip = overrides.pop("ip", "192.0.2.1")
    return complaint_submit(data=data(**overrides), ip=ip, fill_seconds=60.0)


def big_bytes(size: int) -> io.BytesIO:
    return io.BytesIO(b"a" * size)
