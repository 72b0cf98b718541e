"""A string aggregate for SQLite (``GROUP_CONCAT``) and PostgreSQL (``STRING_AGG``)."""

from __future__ import annotations

from django.db.models import Aggregate, CharField, Value


class GroupConcat(Aggregate):
    """Join the values of a group with ``", "`` (order unspecified)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def __init__(self, expression, separator: str = ", ", **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)
