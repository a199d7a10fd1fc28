"""Evidence files: type checked by content, size capped while streaming, stored under random names.

The file's name is only trusted to agree with its content: a PDF must look like a PDF inside, and
a file called ``photo.jpg`` whose bytes are a PDF is refused, because the name is what a caseworker
would trust when opening it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import filetype
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse

from fairhearing.core.errors import DomainError

log = logging.getLogger("fairhearing.intake")

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024

# Detected kind -> (label, content type, extensions a name may carry)
ALLOWED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pdf": ("a PDF", "application/pdf", ("pdf",)),
    "jpg": ("a JPEG image", "image/jpeg", ("jpg", "jpeg")),
    "png": ("a PNG image", "image/png", ("png",)),
    "gif": ("a GIF image", "image/gif", ("gif",)),
    "webp": ("a WebP image", "image/webp", ("webp",)),
    "heic": ("a HEIC photo", "image/heic", ("heic",)),
    "docx": ("a Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "xlsx": ("an Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "pptx": ("a PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
    "odt": ("an OpenDocument text", "application/vnd.oasis.opendocument.text", ("odt",)),
    "ods": ("an OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
    "odp": ("an OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", ("odp",)),
    "txt": ("plain text", "text/plain", ("txt", "text", "csv", "md", "eml")),
}
ACCEPT_ATTR = ",".join(f".{ext}" for _, _, exts in ALLOWED.values() for ext in exts)
KINDS_SENTENCE = "PDF, images (JPEG, PNG, GIF, WebP, HEIC), Word, Excel, PowerPoint, OpenDocument or plain text"


class FileRefused(ValueError):
    """The file cannot be accepted; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int
    sha256: str


def evidence_storage() -> Storage:
    """Where evidence files live: ``STORAGES["evidence"]``, local disk by default and object storage
    when FAIRHEARING_EVIDENCE_STORAGE says so. Use only the storage API on it (open, save, exists,
    delete): an object store has no local ``path()``."""
    return storages["evidence"]


class EvidenceUnavailable(DomainError):
    """A recorded evidence file that storage no longer holds (erased under retention, or lost)."""


UNAVAILABLE_MESSAGE = (
    "This file is no longer in storage: it may have been erased under the retention schedule, or lost. "
    "Its record (name, size and fingerprint) is kept. If you expected it to be there, tell your administrator."
)


def evidence_file_response(item: Any) -> FileResponse:
    """A download of ``item``'s stored file. A file storage no longer holds raises
    :class:`EvidenceUnavailable` with a plain message, never a server error, and is logged so an
    administrator can restore it from a backup."""
    storage = evidence_storage()
    try:
        if not item.stored_name or not storage.exists(item.stored_name):
            raise FileNotFoundError(item.stored_name)
        handle = storage.open(item.stored_name, "rb")
    except OSError as error:
        log.error("evidence %s: stored file %r could not be opened: %s", item.public_id, item.stored_name, error)
        raise EvidenceUnavailable(UNAVAILABLE_MESSAGE) from error
    return FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sampled head is still text.
        return error.start >= len(data) - 3 and error.reason == "unexpected end of data"
    return True


def _detect(head: bytes) -> str | None:
    guess = filetype.guess(head)
    if guess is not None:
        return str(guess.extension)
    return "txt" if head and _is_plain_text(head) else None


def check_file(upload: Any) -> CheckedFile:
    """Check one uploaded file by its bytes. Raises FileRefused with a message naming the file."""
    name = PurePath(upload.name or "file").name
    size = int(upload.size or 0)
    if size == 0:
        raise FileRefused(f"{name} is empty. Choose the file again, or leave it out.")
    if size > MAX_FILE_BYTES:
        raise FileRefused(f"{name} is {size / 1048576:.1f} MB; each file must be 10 MB or smaller. Make it smaller or split it.")
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    kind = _detect(head)
    extension = PurePath(name).suffix.lower().lstrip(".")
    if kind not in ALLOWED:
        raise FileRefused(f"{name} is not a kind of file that can be accepted. Send {KINDS_SENTENCE}.")
    label, content_type, extensions = ALLOWED[kind]
    if extension not in extensions:
        raise FileRefused(
            f"{name} is named as a .{extension or '(no extension)'} file but its content is {label}. "
            f"Rename it to end in .{extensions[0]}, or choose the right file."
        )
    if kind == "txt":
        # The whole file, not just its head, must be text.
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if not _is_plain_text(data):
            raise FileRefused(f"{name} is named as text but contains binary data. Send the original document instead.")
    return CheckedFile(kind=kind, content_type=content_type, size=size, sha256=digest.hexdigest())


def store_file(upload: Any) -> str:
    """Write the upload under a random name and return that name (the caller records it).

    A write that fails part way (a full disk, say) leaves nothing behind under that name."""
    stored = secrets.token_hex(20)
    upload.seek(0)
    storage = evidence_storage()
    try:
        return storage.save(stored, File(upload))
    except BaseException:
        discard_files([stored])
        raise


def discard_files(names: list[str]) -> None:
    """Remove stored files that no record will point to; a name that was never written is fine."""
    storage = evidence_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logging.getLogger("fairhearing.intake").exception("could not remove the unrecorded evidence file %s", name)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a file as soon as it passes the size limit, so a huge upload is not written to
    disk; the names of such files are left on ``request.oversize_files`` for the form to report."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        if request is not None and not hasattr(request, "oversize_files"):
            request.oversize_files = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_FILE_BYTES:
            if self.request is not None:
                getattr(self.request, "oversize_files", []).append(PurePath(self.file_name or "file").name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
