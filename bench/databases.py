"""The database a benchmark runs on.

- PostgreSQL when DATABASE_URL names it: that database (created if missing) for a run at seed
  size; for a scale run, a scratch database beside it (`<name>_scale`), created empty, filled, and
  dropped at the end unless kept, so that the made-up rows never reach a database in use.
- Anything else: a scratch SQLite file in the run's temporary folder.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import environ
import psycopg
from psycopg import sql

POSTGRES_ENGINES = ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis")


@dataclass
class BenchDatabase:
    url: str
    # A PostgreSQL database that this run created empty, and drops when done unless kept.
    scratch: bool = False

    @property
    def is_postgres(self) -> bool:
        return environ.Env.db_url_config(self.url)["ENGINE"] in POSTGRES_ENGINES

    @property
    def name(self) -> str:
        return str(environ.Env.db_url_config(self.url)["NAME"])

    @property
    def description(self) -> str:
        if not self.is_postgres:
            return "SQLite, scratch file"
        return f"PostgreSQL, {'scratch database' if self.scratch else 'database'} {self.name}"


def bench_database(environment_url: str, *, scale: bool, folder: Path) -> BenchDatabase:
    if environment_url and BenchDatabase(environment_url).is_postgres:
        if not scale:
            return BenchDatabase(environment_url)
        name = BenchDatabase(environment_url).name
        return BenchDatabase(urlsplit(environment_url)._replace(path=f"/{name}_scale").geturl(), scratch=True)
    return BenchDatabase(f"sqlite:///{folder / 'bench.sqlite3'}")


def _server_connection(database: BenchDatabase) -> psycopg.Connection:
    """A connection to the server's maintenance database, from which others are created and dropped."""
    config = environ.Env.db_url_config(database.url)
    return psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=str(config.get("PORT") or "") or None,
        autocommit=True,
    )


def database_create(database: BenchDatabase) -> None:
    """A scratch database is created anew; the environment's is created only when missing."""
    if not database.is_postgres:
        return
    name = sql.Identifier(database.name)
    with _server_connection(database) as connection:
        if database.scratch:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def database_drop(database: BenchDatabase) -> None:
    if not (database.is_postgres and database.scratch):
        return
    with _server_connection(database) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database.name))
        )
