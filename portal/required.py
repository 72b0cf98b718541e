"""Marking fields that are required only in some cases (an Antrag on submission, the new
organisation's address on registration) the way always-required fields are marked: an
asterisk after the label and ``aria-required`` on the input. The pages say once at the top
what the asterisk means."""

from __future__ import annotations

from django.utils.html import format_html

ASTERISK = '<span class="asteriskField">*</span>'


def mark_required(form, names) -> None:
    for name in names:
        field = form.fields.get(name)
        if field is None or field.required or getattr(field, "plain_label", None):
            continue
        field.plain_label = str(field.label)
        field.label = format_html('{}<span class="asteriskField">*</span>', field.label)
        field.widget.attrs["aria-required"] = "true"


def plain_label(field) -> str:
    """The label without the asterisk (for messages that name the field)."""
    return getattr(field, "plain_label", None) or str(field.label)
