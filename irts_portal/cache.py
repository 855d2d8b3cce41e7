"""The default cache without Redis: Django's database cache, shared by every worker of the machine,
with an increment that is atomic and keeps the entry's expiry.

Django's database cache increments by reading the value and writing it back with the default
timeout: two workers counting at once lose a hit, and every hit would restart a rate limit's
one-hour window as a five-minute one. The rate limits (mobility.ratelimit) count with `incr`.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    _table: str  # set by Django's DatabaseCache from LOCATION

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, key_column = quote_name(self._table), quote_name("cache_key")
        # The row is locked until the new value is written: FOR UPDATE where the database has it,
        # and on SQLite the transaction itself, which the settings begin as IMMEDIATE (a write lock).
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        value_column, expires_column = quote_name("value"), quote_name("expires")
        # Only quoted names from the settings are formatted into the SQL; values are parameters.
        select = f"SELECT {value_column} FROM {table} WHERE {key_column} = %s AND {expires_column} > %s{lock}"  # noqa: S608
        update = f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s"  # noqa: S608
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select, [key, now])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            # Written by this cache only, as in Django's own DatabaseCache.
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [encoded, key])
        return value
