"""Quoted table names for the plain-SQL reads of the caps (``balance``) and the facilitator
dashboard (``dashboard``): the statements name tables as ``{voucher}``, ``{entry}`` …"""

from __future__ import annotations

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections

from portal.models import FacilitatorProfile, Organisation, Programme
from sessions_log.models import SessionEntry
from vouchers.models import Voucher


@cache
def tables(vendor: str) -> dict[str, str]:
    """``{placeholder: quoted table name}`` for the database ``vendor``."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    return {
        "voucher": quote(Voucher._meta.db_table),
        "programme": quote(Programme._meta.db_table),
        "organisation": quote(Organisation._meta.db_table),
        "profile": quote(FacilitatorProfile._meta.db_table),
        "assignment": quote(Voucher.facilitators.through._meta.db_table),
        "entry": quote(SessionEntry._meta.db_table),
    }
