"""Template filters of the session log (presentation only, no rules)."""

from django import template

from sessions_log.durations import format_duration

register = template.Library()


@register.filter
def duration(minutes):
    """Minutes as "1 Std. 30 Min."."""
    return format_duration(minutes)
