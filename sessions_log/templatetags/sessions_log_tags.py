"""Template filters and tags of the session log (presentation only, no rules)."""

import functools

from django import template
from django.utils.formats import localize
from django.utils.translation import gettext, ngettext

from sessions_log.durations import format_duration

register = template.Library()


@register.filter
def duration(minutes):
    """Minutes as "1 Std. 30 Min."."""
    return format_duration(minutes)


def sentence(translated: str, **values) -> str:
    """``translated % values`` with the values localised, as ``{% blocktranslate %}`` puts
    them in; plain text, escaped where the template outputs it."""
    return translated % {key: localize(value) for key, value in values.items()}


def _translators(context) -> tuple:
    """``gettext``, ``ngettext`` and ``format_duration`` memoised for one page render (the
    dashboard asks for the same few sentences and durations once per case). Kept where
    ``{% include %}`` keeps its template cache: the render context's first layer, which
    lives as long as the render of the page (the language cannot change within it)."""
    store = context.render_context.dicts[0]
    if "sessions_log_translators" not in store:
        store["sessions_log_translators"] = (
            functools.cache(gettext),
            functools.cache(ngettext),
            functools.cache(format_duration),
        )
    return store["sessions_log_translators"]


@register.simple_tag(takes_context=True)
def usage_texts(context, usage) -> dict:
    """The sentences of ``partials/usage.html`` for one ``Usage``, translated in Python: the
    dashboard shows the partial once per case, and as ``{% blocktranslate %}`` tags inside
    that loop they cost several times more. Same msgids as the tags had."""
    gettext, ngettext, format_duration = _translators(context)
    if usage.is_virtual:
        texts = {
            "used": sentence(
                gettext("%(used)s von %(cap)s Sparring-Einheiten genutzt"),
                used=usage.used_units,
                cap=usage.cap_units,
            ),
            "remaining": sentence(
                ngettext(
                    "noch %(remaining)s Einheit frei",
                    "noch %(remaining)s Einheiten frei",
                    usage.remaining_units,
                ),
                remaining=usage.remaining_units,
            ),
            "used_value": sentence(
                gettext("%(used)s von %(cap)s Einheiten"),
                used=usage.used_units,
                cap=usage.cap_units,
            ),
        }
        if usage.cap_in_process is not None:
            texts["in_process"] = sentence(
                gettext(
                    "Davon mit Prozessbegleiter*innen, die bereits im Prozess sind: %(used)s "
                    "von höchstens %(cap)s (noch %(remaining)s möglich)"
                ),
                used=usage.used_in_process,
                cap=usage.cap_in_process,
                remaining=usage.remaining_in_process,
            )
            texts["in_process_value"] = sentence(
                gettext("%(used)s von %(cap)s Einheiten"),
                used=usage.used_in_process,
                cap=usage.cap_in_process,
            )
        if usage.facilitator_in_process:
            texts["facilitator_in_process"] = sentence(
                gettext(
                    "Sie begleiten diese Organisation bereits im Prozess: Ihre Einheiten "
                    "zählen zu den höchstens %(cap)s."
                ),
                cap=usage.cap_in_process,
            )
        return texts
    used, cap = format_duration(usage.used_minutes), format_duration(usage.cap_minutes)
    return {
        "used": sentence(gettext("%(used)s von %(cap)s genutzt"), used=used, cap=cap),
        "remaining": sentence(
            gettext("noch %(remaining)s frei"),
            remaining=format_duration(usage.remaining_minutes),
        ),
        "used_value": sentence(gettext("%(used)s von %(cap)s"), used=used, cap=cap),
    }


@register.simple_tag
def pending_confirmations(user) -> int:
    """How many entries wait for the confirmation of ``user``'s organisation (rule 10); one
    query, for the applicant dashboard."""
    from sessions_log.confirmation import pending_count_for

    if not getattr(user, "is_authenticated", False) or user.role != "applicant":
        return 0
    if not user.organisation_id:
        return 0
    return pending_count_for(user.organisation_id)
