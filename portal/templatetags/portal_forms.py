"""Small filters for the form templates."""

from django import template

register = template.Library()


@register.filter
def summary_label(label) -> str:
    """A field label as the error summary shows it before a colon: without its own closing
    punctuation ("Ich stimme … zu." → "Ich stimme … zu"), so no "zu.:" appears."""
    return str(label or "").rstrip(" .:?!")
