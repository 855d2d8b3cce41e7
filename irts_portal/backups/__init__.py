"""Backups that restore: one archive holds the database, the applicants' documents, the public media
and a manifest, and a restore puts them back into an empty instance.

The archive (a gzip'd tar) holds:

- `manifest.json`: the SHA-256 and size of every other file, the database engine, the latest applied
  migration of each app, the portal's version and commit when known, and the creation time;
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the site writes) or
  `database.pgdump` (`pg_dump --format=custom`);
- `private/…`: the private storage (applicants' documents), `media/…`: the public media (logos).

A restore checks all it can before it changes anything: every member's path and type, every
checksum against the manifest, the database engine, the migrations, and that the instance holds
no data yet. Only then does it replace the database and copy the files in.

`archive` reads and writes the archive and knows nothing of Django's database; `database` dumps and
restores SQLite and PostgreSQL; `operations` puts the two together for the management commands.
"""

from irts_portal.backups.archive import BackupError
from irts_portal.backups.operations import BackupResult, RestoreReport, backup_create, restore_archive

__all__ = ["BackupError", "BackupResult", "RestoreReport", "backup_create", "restore_archive"]
