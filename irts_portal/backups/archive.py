"""The archive itself: writing members with their checksums, and reading one back safely."""

import hashlib
import io
import json
import os
import re
import tarfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FOLDER_PREFIXES = ("private", "media")
CHUNK_BYTES = 1024 * 1024
# A manifest lists files, it is never large; a bigger one is not ours.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
NOTHING_RESTORED = "Nothing was restored."


class BackupError(Exception):
    """A backup or restore that failed or was refused; the message tells the operator why."""


# --- Writing ----------------------------------------------------------------------------------------


def stored_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The regular files under `root`, and the links there, which are left out."""
    files: list[Path] = []
    links: list[Path] = []
    # os.walk does not follow links to folders: nothing outside the root is ever read.
    for folder, subfolders, names in os.walk(root):
        base = Path(folder)
        links += [base / name for name in subfolders if (base / name).is_symlink()]
        for name in names:
            path = base / name
            if path.is_symlink():
                links.append(path)
            elif path.is_file():
                files.append(path)
    return sorted(files), sorted(links)


class _HashingReader:
    """Hashes what tarfile reads, so that the checksum is of the bytes archived, even if the
    file changes on disk meanwhile."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _member(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o640
    return info


def archive_add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    """Add the file at `path` as `name`; return its manifest entry (SHA-256 and size)."""
    with path.open("rb") as stream:
        status = os.fstat(stream.fileno())
        reader = _HashingReader(stream)
        tar.addfile(_member(name, status.st_size, status.st_mtime), reader)
    return {"sha256": reader.digest.hexdigest(), "size": status.st_size}


def archive_add_stream(
    tar: tarfile.TarFile, stream: IO[bytes], name: str, *, size: int, mtime: float
) -> dict[str, Any]:
    """Add `size` bytes read from `stream` (a file of a bucket) as `name`; return its manifest entry."""
    reader = _HashingReader(stream)
    tar.addfile(_member(name, size, mtime), reader)
    return {"sha256": reader.digest.hexdigest(), "size": size}


def archive_add_manifest(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    tar.addfile(_member(MANIFEST, len(data), time.time()), io.BytesIO(data))


# --- Reading ----------------------------------------------------------------------------------------


@contextmanager
def _reading(archive: Path) -> Iterator[tarfile.TarFile]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            yield tar
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            f"{archive} is not a readable backup archive ({error}). {NOTHING_RESTORED}"
        ) from error


def archive_unpack(archive: Path, *, into: Path) -> dict[str, Any]:
    """Check `archive` (member paths and types, manifest, checksums) while extracting it into the
    empty folder `into`; return its manifest. Touches nothing else."""
    with _reading(archive) as tar:
        members = _checked_members(tar)
        if MANIFEST not in members:
            raise BackupError(f"{archive} has no {MANIFEST}: it is not a portal backup. {NOTHING_RESTORED}")
        manifest = _manifest_checked(_read_member(tar, members[MANIFEST], limit=MAX_MANIFEST_BYTES))
        listed = manifest["files"]
        missing = sorted(set(listed) - set(members))
        unlisted = sorted(set(members) - set(listed) - {MANIFEST})
        if missing or unlisted:
            raise BackupError(
                f"The archive's files differ from its manifest (missing: {', '.join(missing) or '-'}; "
                f"not listed: {', '.join(unlisted) or '-'}). {NOTHING_RESTORED}"
            )
        for name, expected in listed.items():
            _extract_checked(tar, members[name], into / name, expected)
    return manifest


def _checked_members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    """The archive's files by name, once every member's path and type is known to be safe."""
    members: dict[str, tarfile.TarInfo] = {}
    for member in tar.getmembers():
        name = member.name
        parts = name.split("/")
        if (
            not name
            or name.startswith("/")
            or "\\" in name
            or "\x00" in name
            or any(part in ("", ".", "..") for part in parts)
        ):
            raise BackupError(f"Unsafe path in the archive: {name!r}. {NOTHING_RESTORED}")
        if member.isdir():
            continue
        if not member.isfile():
            raise BackupError(
                f"The archive holds a link or special file, {name!r}: refused. {NOTHING_RESTORED}"
            )
        expected_place = name == MANIFEST or name in DUMP_NAMES.values()
        expected_place |= parts[0] in FOLDER_PREFIXES and len(parts) > 1
        if not expected_place:
            raise BackupError(f"Unexpected file in the archive: {name!r}. {NOTHING_RESTORED}")
        if name in members:
            raise BackupError(f"The archive holds {name!r} twice. {NOTHING_RESTORED}")
        members[name] = member
    return members


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo, *, limit: int) -> bytes:
    stream = tar.extractfile(member)
    if stream is None or member.size > limit:
        raise BackupError(f"{member.name} cannot be read from the archive. {NOTHING_RESTORED}")
    with stream:
        return stream.read()


def _manifest_checked(raw: bytes) -> dict[str, Any]:
    """The manifest, once its shape is known: the rest of the restore trusts its fields."""
    try:
        manifest = json.loads(raw)
        files = manifest["files"]
        engine = manifest["database"]["engine"]
        well_formed = (
            manifest["format"] == ARCHIVE_FORMAT
            and engine in DUMP_NAMES
            and manifest["database"]["dump"] == DUMP_NAMES[engine]
            and DUMP_NAMES[engine] in files
            and isinstance(manifest["migrations"], dict)
            and all(isinstance(value, str) for value in manifest["migrations"].values())
            and all(
                isinstance(entry["size"], int) and SHA256_PATTERN.fullmatch(str(entry["sha256"]))
                for entry in files.values()
            )
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"The archive's {MANIFEST} is malformed ({error}). {NOTHING_RESTORED}") from error
    if not well_formed:
        raise BackupError(
            f"The archive's {MANIFEST} is not one this portal writes (format {ARCHIVE_FORMAT}). {NOTHING_RESTORED}"
        )
    return manifest


def _extract_checked(
    tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: dict[str, Any]
) -> None:
    stream = tar.extractfile(member)
    if stream is None:
        raise BackupError(f"{member.name} cannot be read from the archive. {NOTHING_RESTORED}")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with stream, target.open("xb") as out:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
        raise BackupError(
            f"{member.name} does not match the checksum of the manifest: the archive is damaged or "
            f"was altered. {NOTHING_RESTORED}"
        )
