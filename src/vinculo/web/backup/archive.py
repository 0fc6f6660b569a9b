"""One backup archive: a tar file holding the database dump, every file under MEDIA_ROOT, and a
manifest (format version, software versions, creation time, applied migrations, the heads of the
audit and ledger chains, and the size and SHA-256 of every member).

Keys and secrets are never in the archive: the encryption keys, the audit keys and SECRET_KEY live in
the environment; a backup without them reveals no identifier and cannot be signed into.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from vinculo import __version__
from vinculo.errors import VinculoError

from . import database as db

FORMAT = "vinculo-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
_MEMBER = re.compile(r"^(database/[a-z0-9_.]+|media/.+)$")


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    vendor: str
    tool: str
    migrations: dict[str, list[str]]
    chains: dict[str, dict[str, Any]]
    members: list[Member] = field(default_factory=list)
    vinculo_version: str = __version__
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": self.format_version,
            "created_at": self.created_at,
            "vinculo_version": self.vinculo_version,
            "python_version": platform.python_version(),
            "database": {"vendor": self.vendor, "tool": self.tool},
            "migrations": self.migrations,
            "chains": self.chains,
            "members": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in self.members],
        }
        return json.dumps(data, indent=2, sort_keys=True).encode("utf-8")

    @property
    def dump_member(self) -> str:
        return db.DUMP_NAMES[self.vendor]


def _bad_archive(path: Path, problem: str) -> VinculoError:
    return VinculoError(
        f"{path}: {problem}",
        code="backup.bad_archive",
        fix="Use an archive written by `vinculo backup`, copied whole (compare its size and checksum).",
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(media_root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT with its archive name (symbolic links are not followed)."""
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, "media/" + path.relative_to(media_root).as_posix()


def create_backup(
    destination: Path,
    *,
    database: Mapping[str, Any],
    media_root: Path,
    migrations: dict[str, list[str]],
    chains: dict[str, dict[str, Any]],
) -> Manifest:
    """Write the archive to ``destination`` (atomically: a partial archive never carries its name)."""
    vendor = db.vendor_of(database)
    destination = destination.resolve()
    media_root = media_root.resolve()
    if destination.is_relative_to(media_root):
        raise VinculoError(
            f"{destination} is inside MEDIA_ROOT ({media_root}); the backup would contain itself.",
            code="backup.inside_media",
            fix="Write the backup to another folder (--output).",
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with tempfile.TemporaryDirectory(prefix=".vinculo-backup-", dir=destination.parent) as work:
        os.chmod(work, 0o700)
        dump_path = Path(work) / "dump"
        tool = db.dump(database, dump_path)
        manifest = Manifest(
            created_at=created, vendor=vendor, tool=tool, migrations=migrations, chains=chains
        )
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            sources = [(dump_path, db.DUMP_NAMES[vendor]), *media_files(media_root)]
            for path, name in sources:
                manifest.members.append(Member(name, path.stat().st_size, _sha256(path)))
                info = tar.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o600
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, destination)
    return manifest


def read_manifest(archive: Path) -> tuple[Manifest, dict[str, tarfile.TarInfo]]:
    """Open ``archive``, check its manifest and that its members are exactly those listed."""
    if not archive.is_file():
        raise VinculoError(
            f"{archive}: no such file.", code="backup.no_archive", fix="Give the path of a backup archive."
        )
    try:
        with tarfile.open(archive, "r:") as tar:
            members = tar.getmembers()
            by_name: dict[str, tarfile.TarInfo] = {}
            for info in members:
                if info.name in by_name:
                    raise _bad_archive(archive, f"member {info.name!r} appears twice.")
                by_name[info.name] = info
            if MANIFEST not in by_name:
                raise _bad_archive(archive, "it has no manifest.json; it is not a vinculo backup.")
            handle = tar.extractfile(by_name[MANIFEST])
            assert handle is not None
            raw = json.loads(handle.read().decode("utf-8"))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise _bad_archive(archive, f"it is not a readable tar archive ({exc}).") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad_archive(archive, f"its manifest is not valid JSON ({exc}).") from exc
    manifest = _parse_manifest(archive, raw)
    listed = {m.name for m in manifest.members}
    present = set(by_name) - {MANIFEST}
    if listed != present:
        extra, missing = sorted(present - listed), sorted(listed - present)
        raise _bad_archive(
            archive, f"its members do not match the manifest (missing: {missing[:5]}, unlisted: {extra[:5]})."
        )
    for member in manifest.members:
        info = by_name[member.name]
        if not info.isreg():
            raise _bad_archive(archive, f"member {member.name!r} is not a regular file.")
        if info.size != member.size:
            raise _bad_archive(
                archive, f"member {member.name!r} has {info.size} bytes; the manifest says {member.size}."
            )
    return manifest, by_name


def _parse_manifest(archive: Path, raw: Any) -> Manifest:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _bad_archive(archive, "its manifest is not a vinculo backup manifest.")
    version = raw.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise VinculoError(
            f"{archive}: backup format {version!r} was written by vinculo {raw.get('vinculo_version')!r}; "
            f"this vinculo ({__version__}) reads format {FORMAT_VERSION}.",
            code="backup.newer_format",
            fix="Restore with the vinculo version that made the backup, or a newer one.",
        )
    try:
        vendor = str(raw["database"]["vendor"])
        members = [Member(str(m["name"]), int(m["size"]), str(m["sha256"])) for m in raw["members"]]
        manifest = Manifest(
            created_at=str(raw["created_at"]),
            vendor=vendor,
            tool=str(raw["database"].get("tool", "")),
            migrations={str(k): [str(n) for n in v] for k, v in dict(raw["migrations"]).items()},
            chains=dict(raw.get("chains", {})),
            members=members,
            vinculo_version=str(raw.get("vinculo_version", "")),
            format_version=version,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad_archive(archive, f"its manifest lacks or garbles {exc}.") from exc
    if vendor not in db.DUMP_NAMES:
        raise _bad_archive(archive, f"its database vendor {vendor!r} is unknown.")
    for member in members:
        path = PurePosixPath(member.name)
        if not _MEMBER.match(member.name) or path.is_absolute() or ".." in path.parts or "\\" in member.name:
            raise _bad_archive(archive, f"member name {member.name!r} is not allowed.")
    if manifest.dump_member not in {m.name for m in members}:
        raise _bad_archive(archive, "it holds no database dump.")
    return manifest


def extract_checked(archive: Path, manifest: Manifest, into: Path) -> None:
    """Extract every member under ``into`` (never outside it), checking each SHA-256."""
    with tarfile.open(archive, "r:") as tar:
        for member in manifest.members:
            handle = tar.extractfile(member.name)
            if handle is None:
                raise _bad_archive(archive, f"member {member.name!r} cannot be read.")
            target = into.joinpath(*PurePosixPath(member.name).parts)
            if not target.resolve().is_relative_to(into.resolve()):
                raise _bad_archive(archive, f"member name {member.name!r} is not allowed.")
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with target.open("wb") as out:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != member.sha256:
                raise VinculoError(
                    f"{archive}: member {member.name!r} is corrupt (SHA-256 {digest.hexdigest()[:16]}…, "
                    f"the manifest says {member.sha256[:16]}…). Nothing was restored.",
                    code="backup.corrupt_member",
                    fix="Use another copy of the backup.",
                )


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() or p.is_symlink() for p in folder.rglob("*"))


@dataclass(frozen=True)
class RestorePlan:
    manifest: Manifest
    replaced_tables: int
    replaced_media: bool


def restore_backup(
    archive: Path,
    *,
    database: Mapping[str, Any],
    media_root: Path,
    known_migrations: dict[str, set[str]],
    force: bool = False,
) -> RestorePlan:
    """Check ``archive`` whole, then load the database (one transaction) and swap MEDIA_ROOT in.

    Refuses a target database or media folder that already holds data unless ``force``.
    """
    manifest, _ = read_manifest(archive)
    vendor = db.vendor_of(database)
    if manifest.vendor != vendor:
        raise VinculoError(
            f"{archive} holds a {manifest.vendor} database; the configured database is {vendor}.",
            code="backup.wrong_vendor",
            fix="Restore into a database of the same kind (set VINCULO_DATABASE_URL), then migrate data "
            "between kinds with the platform's exports if needed.",
        )
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if name not in known_migrations.get(app, set())
    )
    if unknown:
        raise VinculoError(
            f"{archive} was made by a newer vinculo ({manifest.vinculo_version}): migrations "
            f"{', '.join(unknown[:5])} are unknown to this version ({__version__}).",
            code="backup.newer_schema",
            fix="Install the vinculo version that made the backup (or newer), then restore.",
        )
    tables = db.table_count(database)
    media_root = media_root.resolve()
    media_used = _has_files(media_root)
    if (tables or media_used) and not force:
        where = []
        if tables:
            where.append(f"the database already holds {tables} tables")
        if media_used:
            where.append(f"{media_root} already holds files")
        raise VinculoError(
            f"The target is not empty: {' and '.join(where)}. Nothing was restored.",
            code="backup.target_not_empty",
            fix="Restore into a new, empty database and media folder, or pass --force to replace their "
            "content (everything in them now is lost).",
        )
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".vinculo-restore-", dir=media_root.parent) as work:
        os.chmod(work, 0o700)
        staging = Path(work) / "archive"
        extract_checked(archive, manifest, staging)
        dump_file = staging.joinpath(*PurePosixPath(manifest.dump_member).parts)
        if vendor == "sqlite":
            db.check_sqlite_file(dump_file)
        new_media = staging / "media"
        new_media.mkdir(exist_ok=True)
        db.load(database, dump_file, replace=bool(tables) or force, work_dir=Path(work))
        old_media = Path(work) / "previous-media"
        if media_root.exists():
            os.replace(media_root, old_media)
        os.replace(new_media, media_root)
        if old_media.exists():
            shutil.rmtree(old_media, ignore_errors=True)
    return RestorePlan(manifest=manifest, replaced_tables=tables, replaced_media=media_used)
