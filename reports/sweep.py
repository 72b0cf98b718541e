"""Replace a person's data in every text and JSON column of every table (GDPR erasure).

Matching is case-insensitive and on whole words only, so look-alike data of other people
("johanna@…" for "anna@…") is left alone. JSON values are searched both as stored text and
with JSON's ``\\uXXXX`` escapes (SQLite stores non-ASCII that way), then rewritten decoded."""

from __future__ import annotations

import json
import re

from django.apps import apps
from django.db import models
from django.db.models import CharField, Q, TextField
from django.db.models.functions import Cast


def _text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, CharField | TextField | models.JSONField)
        and not f.primary_key
        and not f.choices
    ]


# Whole words only: "anna@example.org" must not hit "johanna@example.org", nor "Anna Berg"
# "Johanna Bergmann". A trailing full stop ends a sentence, not the address.
_BEFORE = r"(?<![\w.+-])"
_AFTER = r"(?![\w-])(?!\.\w)"


def _pattern(needle: str) -> re.Pattern:
    return re.compile(_BEFORE + re.escape(needle) + _AFTER, re.IGNORECASE)


def _replace(value: str, needles: list[tuple[str, str]]) -> str:
    for needle, replacement in needles:
        value = _pattern(needle).sub(lambda _m, r=replacement: r, value)
    return value


def _replace_json(value, needles):
    if isinstance(value, str):
        return _replace(value, needles)
    if isinstance(value, list):
        return [_replace_json(v, needles) for v in value]
    if isinstance(value, dict):
        return {_replace(k, needles): _replace_json(v, needles) for k, v in value.items()}
    return value


def sweep_text_columns(needles: list[tuple[str, str]]) -> int:
    """Replace the needles in every text/JSON column of every table; returns rows changed."""
    if not needles:
        return 0
    changed = 0
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        qs = model._base_manager.all()
        condition = Q()
        for f in fields:
            lookup = f.attname
            if isinstance(f, models.JSONField):
                lookup = f"_sweep_{f.attname}"
                qs = qs.annotate(**{lookup: Cast(f.attname, TextField())})
            for needle, _ in needles:
                condition |= Q(**{f"{lookup}__icontains": needle})
                escaped = json.dumps(needle)[1:-1]
                if isinstance(f, models.JSONField) and escaped != needle:
                    condition |= Q(**{f"{lookup}__icontains": escaped})
        for obj in qs.filter(condition).iterator(chunk_size=500):
            updates = {}
            for f in fields:
                value = getattr(obj, f.attname)
                if value in (None, ""):
                    continue
                new = (
                    _replace_json(value, needles)
                    if isinstance(f, models.JSONField)
                    else _replace(value, needles)
                )
                if new != value:
                    updates[f.attname] = new
            if updates:
                model._base_manager.filter(pk=obj.pk).update(**updates)
                changed += 1
    return changed
