"""The database in an archive: a dump of SQLite or PostgreSQL, its migration state, its restoration."""

import os
import sqlite3
import subprocess
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from irts_portal.backups.archive import DUMP_NAMES, NOTHING_RESTORED, BackupError

# Connection options that libpq also reads from the environment.
LIBPQ_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def database_engine() -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups handle SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def database_dump(engine: str, target: Path) -> None:
    """Write the database to `target`: consistent, and without stopping the site."""
    if engine == "sqlite":
        source = Path(str(connection.settings_dict["NAME"]))
        if not source.is_file():
            raise BackupError(f"There is no SQLite database at {source}.")
        try:
            with (
                closing(sqlite3.connect(source, timeout=20)) as live,
                closing(sqlite3.connect(target)) as copy,
            ):
                # One step, so one consistent snapshot: writers go on meanwhile (WAL mode).
                live.backup(copy)
                # A single self-contained file, with no write-ahead log beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as error:
            raise BackupError(f"The SQLite backup failed: {error}") from error
    else:
        _run_libpq_tool("pg_dump", "--format=custom", f"--file={target}")


def database_restore(engine: str, dump: Path) -> None:
    """Replace the database's content with the dump's."""
    # No connection of ours may keep the old database open while it is replaced.
    connections.close_all()
    if engine == "sqlite":
        target = Path(str(connection.settings_dict["NAME"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            # The backup API copies the file in page by page, under SQLite's own locks, and keeps
            # the target's write-ahead log coherent, where a plain file copy beside a stale log
            # could mix the two.
            with (
                closing(sqlite3.connect(dump)) as archived,
                closing(sqlite3.connect(target, timeout=20)) as live,
            ):
                archived.backup(live)
        except sqlite3.Error as error:
            raise BackupError(f"The SQLite restore failed: {error}") from error
    else:
        _run_libpq_tool(
            "pg_restore",
            # Drop what the dump recreates (a migrated empty database has every table already).
            "--clean",
            "--if-exists",
            # The new server's roles may differ: objects belong to the user who restores.
            "--no-owner",
            "--no-privileges",
            # All or nothing: a failure leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        )


def applied_migrations() -> dict[str, str]:
    """The latest migration applied to the database, for each app."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(loader.applied_migrations or {})
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        node = loader.graph.node_map.get((app, name))
        children = node.children if node else set()
        if not any(child[0] == app and child in applied for child in children):
            latest[app] = max(latest.get(app, ""), name)
    return latest


def migrations_pending(archived: Mapping[str, str]) -> bool:
    """Whether the archive is behind the code's migrations; refuses an archive from newer code."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    unknown = sorted(f"{app}.{name}" for app, name in archived.items() if (app, name) not in graph.nodes)
    if unknown:
        raise BackupError(
            "The archive comes from a newer version of the portal (unknown migrations: "
            f"{', '.join(unknown)}). Deploy that version first. {NOTHING_RESTORED}"
        )
    return bool(set(graph.leaf_nodes()) - set(archived.items()))


def libpq_invocation(
    program: str, *arguments: str, database: Mapping[str, Any], environment: Mapping[str, str]
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment to run a PostgreSQL client tool on `database` (a Django
    settings dict). The connection goes through the environment: a password on the command line
    would show in the process list."""
    env = dict(environment)
    for variable, key in {"PGHOST": "HOST", "PGPORT": "PORT", "PGUSER": "USER", "PGDATABASE": "NAME"}.items():
        if database.get(key):
            env[variable] = str(database[key])
        else:
            env.pop(variable, None)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    options = database.get("OPTIONS") or {}
    for option, variable in LIBPQ_OPTION_VARIABLES.items():
        if option in options:
            env[variable] = str(options[option])
    # Never wait for a password prompt (cron has no terminal).
    return [program, "--no-password", *arguments], env


def _run_libpq_tool(program: str, *arguments: str) -> None:
    command, env = libpq_invocation(
        program, *arguments, database=connection.settings_dict, environment=os.environ
    )
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            f"{program} is not installed: install the PostgreSQL client tools of the server's version."
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()}")
