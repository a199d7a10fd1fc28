"""Process definitions as data: load and check the TOML file that sets an organisation's
stages, timetable, transitions and pauses.

Pure Python (tomllib and dataclasses), no Django imports. The file format is described in
docs/process-files.md; the default process is ``processes/default.toml`` beside this module.

    process = load_process(DEFAULT_PROCESS_PATH)       # ProcessError lists every problem
    problems = check_process_file(Path("ours.toml"))    # [] when the file is valid
"""

from __future__ import annotations

from pathlib import Path

from fairhearing.workflow.process_parser import parse_text
from fairhearing.workflow.process_types import (
    KNOWN_GUARDS,
    KNOWN_REQUIREMENTS,
    KNOWN_ROLES,
    Pause,
    Problem,
    Process,
    ProcessError,
    ProcessFileNotFound,
    Stage,
    Transition,
)

__all__ = [
    "DEFAULT_PROCESS_PATH",
    "KNOWN_GUARDS",
    "KNOWN_REQUIREMENTS",
    "KNOWN_ROLES",
    "Pause",
    "Problem",
    "Process",
    "ProcessError",
    "ProcessFileNotFound",
    "Stage",
    "Transition",
    "check_process_file",
    "check_process_text",
    "load_process",
    "load_process_text",
]

DEFAULT_PROCESS_PATH = Path(__file__).resolve().parent / "processes" / "default.toml"


def check_process_file(path: Path) -> list[Problem]:
    """Return every problem in the process file at ``path``; ``[]`` when it is valid.

    Never raises for a bad file: an unreadable file is reported as a problem too.
    """
    text, problems = _read(Path(path))
    if text is None:
        return problems
    return check_process_text(text, source=Path(path).name)


def load_process(path: Path) -> Process:
    """Load the process file at ``path``; raise ``ProcessError`` listing every problem
    (``ProcessFileNotFound``, also a ``FileNotFoundError``, when there is no such file)."""
    text, problems = _read(Path(path))
    if text is None:
        if not Path(path).exists():
            raise ProcessFileNotFound(problems)
        raise ProcessError(problems)
    return load_process_text(text, source=Path(path).name)


def check_process_text(text: str, source: str = "<process>") -> list[Problem]:
    """Like ``check_process_file`` for TOML already in memory; ``source`` names it."""
    return parse_text(text, source)[1]


def load_process_text(text: str, source: str = "<process>") -> Process:
    """Like ``load_process`` for TOML already in memory; ``source`` names it."""
    process, problems = parse_text(text, source)
    if process is None:
        raise ProcessError(problems)
    return process


def _read(path: Path) -> tuple[str | None, list[Problem]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except FileNotFoundError:
        message = f"no such file: {path}; check the path"
    except IsADirectoryError:
        message = f"{path} is a directory: give the path of a .toml process file"
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text ({error.reason} at byte {error.start}): save it as UTF-8"
    except OSError as error:
        message = f"cannot read {path}: {error.strerror or error}"
    return None, [Problem(location=path.name or str(path), message=message)]
