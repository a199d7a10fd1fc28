"""Public identifiers: random, short where people type them, never sequential."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: easy to read aloud and to type from a letter.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_reference(prefix: str, length: int = 8) -> str:
    """A reference such as ``FH-K7QX-M3TA``: ``length`` random characters (about 4.6 bits each)."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
    half = length // 2
    return f"{prefix}-{body[:half]}-{body[half:]}"


def normalise_reference(raw: str) -> str:
    """Accept what people type: any case, spaces, missing or extra hyphens."""
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    if len(cleaned) < 3:
        return cleaned
    prefix, body = cleaned[:2], cleaned[2:]
    half = len(body) // 2
    return f"{prefix}-{body[:half]}-{body[half:]}"
