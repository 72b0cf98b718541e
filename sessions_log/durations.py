"""Human-readable durations in German ("1 Std. 30 Min."), for messages and templates."""

from __future__ import annotations

from django.utils.translation import gettext as _


def format_duration(minutes: int | None) -> str:
    """``90`` → ``"1 Std. 30 Min."``, ``60`` → ``"1 Std."``, ``45`` → ``"45 Min."``, ``0`` → ``"0 Std."``."""
    minutes = max(int(minutes or 0), 0)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)d Std. %(minutes)d Min.") % {"hours": hours, "minutes": rest}
    if hours or not rest:
        return _("%(hours)d Std.") % {"hours": hours}
    return _("%(minutes)d Min.") % {"minutes": rest}


def one_full_stop(text: str) -> str:
    """A sentence that ends with an abbreviated duration ends with one full stop, not two
    ("… noch 9 Std. 30 Min." rather than "… Min..")."""
    return text[:-1] if text.endswith(("Std..", "Min..", "hrs..", "min..")) else text
