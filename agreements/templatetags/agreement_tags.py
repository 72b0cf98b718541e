"""Filters for the agreement's PDF template."""

from django import template

from agreements.markup import keep_words_together, render_markup

register = template.Library()


@register.filter
def agreement_markup(value):
    """A text block body (tiny markup, escaped) as HTML."""
    return render_markup(value or "")


@register.filter
def nobr(value):
    """Escape ``value``; words with hyphens or slashes are not broken across lines."""
    return keep_words_together("" if value is None else str(value))
