"""The lottery for ties (rule 11, M40): applications of one tier submitted on the same
calendar day (Europe/Berlin) are ordered by a lottery instead of the second of submission.

The seed is drawn once per programme period with ``secrets`` at the period's first allocation
(``allocation_log.ensure_seed``, under the period's row lock), recorded on the period and in the allocation
log, and never changed. The order is ``SHA-256("<seed>:<application id>")`` as lower-case hex,
ascending — computed in the database, so anyone with the seed can reproduce it::

    sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())

PostgreSQL has ``sha256()``; SQLite gets the same function (``portal_sha256_hex``) registered
on every new connection (``register_sqlite_functions``, connected in ``VouchersConfig.ready``).
"""

from __future__ import annotations

import hashlib
import zoneinfo

from django.db.models import Case, CharField, F, Func, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Length
from django.db.models.lookups import GreaterThan

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SQLITE_FUNCTION = "portal_sha256_hex"


def lottery_key(seed: str, application_id: int) -> str:
    """The key one application draws (the same value the database computes)."""
    return hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()


def _sha256_hex(value):
    if value is None:
        return None
    return hashlib.sha256(str(value).encode()).hexdigest()


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite has no SHA-256 of its own."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sha256_hex, deterministic=True)


class Sha256Hex(Func):
    """Lower-case hex SHA-256 of a text expression, on PostgreSQL and SQLite alike."""

    function = SQLITE_FUNCTION
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="encode(sha256(convert_to(%(expressions)s, 'UTF8')), 'hex')",
            **extra_context,
        )


def lottery_expression(seed):
    """The key of each row for ``seed`` (a string, or an expression such as a subquery);
    "" while there is no seed (no lottery yet: ties stay in submission order)."""
    if isinstance(seed, str):
        if not seed:
            return Value("", output_field=CharField())
        seed = Value(seed, output_field=CharField())
    key = Sha256Hex(Concat(seed, Value(":"), Cast(F("pk"), CharField()), output_field=CharField()))
    return Case(
        When(GreaterThan(Length(Coalesce(seed, Value(""))), 0), then=key),
        default=Value(""),
        output_field=CharField(),
    )
