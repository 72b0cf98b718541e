"""Backup and restore of the whole portal: the database (``pg_dump -Fc`` on PostgreSQL, the
SQLite online backup otherwise) and every media file (local disk or S3, through Django's
storage API), with ``MANIFEST.sha256`` in ``sha256sum`` format over everything. A restore
checks the manifest first and refuses a damaged backup before it touches anything.

Used by ``manage.py backup`` and ``manage.py restore`` (see README "Backup and restore")."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

MANIFEST = "MANIFEST.sha256"
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-U", settings_dict.get("USER") or ""]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _storage_files(directory: str = "") -> list[str]:
    """Every file name in the default storage (recursively)."""
    directories, files = default_storage.listdir(directory)
    names = [f"{directory}/{name}".lstrip("/") for name in files]
    for sub in directories:
        names += _storage_files(f"{directory}/{sub}".lstrip("/"))
    return names


def backup(target: Path) -> dict[str, str]:
    """Write database, media and manifest into the new directory ``target``; return the
    manifest (path → SHA-256)."""
    target.mkdir(parents=True, exist_ok=False)
    connection = connections["default"]
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(settings_dict)
        subprocess.run(  # noqa: S603  (fixed arguments from the database settings)
            [  # noqa: S607  (PostgreSQL's client tools from PATH)
                "pg_dump",
                "-Fc",
                "--no-owner",
                *args,
                "-f",
                str(target / PG_DUMP),
                settings_dict["NAME"],
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / SQLITE_DUMP) as out:
            connection.connection.backup(out)
    else:
        raise BackupError(f"unsupported database: {connection.vendor}")
    if default_storage.exists(""):
        for name in _storage_files():
            path = target / MEDIA / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with default_storage.open(name, "rb") as source, path.open("wb") as out:
                shutil.copyfileobj(source, out)
    manifest = {
        str(path.relative_to(target)): _sha256(path)
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
    (target / MANIFEST).write_text(
        "".join(f"{digest}  {name}\n" for name, digest in manifest.items())
    )
    return manifest


def verify(source: Path) -> dict[str, str]:
    """The manifest of ``source`` after checking every listed file (and that nothing else is
    there); raises ``BackupError`` on the first difference."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError("no MANIFEST.sha256")
    manifest = {}
    for line in manifest_path.read_text().splitlines():
        digest, _sep, name = line.partition("  ")
        manifest[name] = digest
    present = {
        str(p.relative_to(source)) for p in source.rglob("*") if p.is_file() and p != manifest_path
    }
    if present != set(manifest):
        raise BackupError(f"files differ from the manifest: {sorted(present ^ set(manifest))[:5]}")
    for name, digest in manifest.items():
        if _sha256(source / name) != digest:
            raise BackupError(f"digest mismatch: {name}")
    return manifest


def restore(source: Path) -> dict[str, str]:
    """Restore database and media from a verified backup into the configured database (which
    should be new and empty) and storage."""
    manifest = verify(source)
    connection = connections["default"]
    settings_dict = connection.settings_dict
    if PG_DUMP in manifest:
        if connection.vendor != "postgresql":
            raise BackupError("a PostgreSQL backup needs a PostgreSQL database")
        connection.close()
        args, env = _pg_env(settings_dict)
        subprocess.run(  # noqa: S603  (fixed arguments; the database's own settings)
            [  # noqa: S607  (the PostgreSQL client tools from PATH)
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                *args,
                "-d",
                settings_dict["NAME"],
                str(source / PG_DUMP),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    elif SQLITE_DUMP in manifest:
        if connection.vendor != "sqlite":
            raise BackupError("a SQLite backup needs a SQLite database")
        connection.close()
        with (
            sqlite3.connect(source / SQLITE_DUMP) as backup_db,
            sqlite3.connect(settings_dict["NAME"]) as out,
        ):
            backup_db.backup(out)
    else:
        raise BackupError("the backup holds no database")
    for name in manifest:
        if name.startswith(f"{MEDIA}/"):
            key = name.removeprefix(f"{MEDIA}/")
            if default_storage.exists(key):
                default_storage.delete(key)
            saved = default_storage.save(key, ContentFile((source / name).read_bytes()))
            if saved != key:
                raise BackupError(f"storage renamed {key} to {saved}")
    return manifest
