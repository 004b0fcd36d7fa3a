"""Members of Relaton catalogues: `.tar.xz`/`.tar.gz` archives, folders and single YAML files.

Archives are read as streams (`tarfile` mode ``r|*``): one member in memory at a time, never
the whole archive.
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".yaml", ".yml")
ARCHIVE_SUFFIXES = (".tar.xz", ".tar.gz", ".tgz", ".txz", ".tar")
MAX_MEMBER_BYTES = 8 * 1024 * 1024  # the largest real record is ~200 kB; bounds the parser


@dataclass(frozen=True)
class Member:
    origin: str  # the archive or folder name as the user gave it (for reports and revisions)
    name: str  # the member's path inside it
    data: bytes | None  # None when the member is too large to read (reported, not parsed)


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def check_paths(paths: list[Path]) -> list[str]:
    """What is wrong with the paths given (missing, not a catalogue), as messages."""
    problems = []
    for path in paths:
        if not path.exists():
            problems.append(f"{path}: no such file or folder")
        elif path.is_file() and not (is_archive(path) or path.suffix.lower() in SUFFIXES):
            problems.append(
                f"{path}: not a Relaton catalogue (expected .tar.xz, .tar.gz, a folder or .yaml)"
            )
    return problems


def _wanted(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def iter_members(path: Path) -> Iterator[Member]:
    """Every YAML record under `path`, in archive order (folders: sorted by path)."""
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p.name)):
            yield _file_member(path.name, file, file.relative_to(path).as_posix())
        return
    if not is_archive(path):
        yield _file_member(path.parent.name or ".", path, path.name)
        return
    with tarfile.open(path, mode="r|*") as archive:
        for info in archive:
            if not info.isfile() or not _wanted(info.name):
                continue
            if info.size > MAX_MEMBER_BYTES:
                yield Member(path.name, info.name, None)
                continue
            handle = archive.extractfile(info)
            assert handle is not None  # a regular file
            yield Member(path.name, info.name, handle.read())


def _file_member(origin: str, file: Path, name: str) -> Member:
    if file.stat().st_size > MAX_MEMBER_BYTES:
        return Member(origin, name, None)
    return Member(origin, name, file.read_bytes())
