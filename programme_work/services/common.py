"""Guards shared by the services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.errors import InvalidTransition
from programme_work.predicates import is_case_member, is_case_office, is_team_member


def require_plan_editor(voucher, by) -> None:
    """The team of the case or the operator's office; the case must be open."""
    if not (is_case_office(by, voucher) or is_team_member(by, voucher)):
        raise InvalidTransition(
            _("Den Prozessplan ändern nur das Moderationsteam und das Programmbüro.")
        )
    if not voucher.is_open:
        raise InvalidTransition(_("Die Begleitung ist abgeschlossen; der Plan ist nur lesbar."))


def require_group_editor(voucher, by) -> None:
    """The team, the municipality's members or the operator's office; the case must be open."""
    if not (
        is_case_office(by, voucher) or is_team_member(by, voucher) or is_case_member(by, voucher)
    ):
        raise InvalidTransition(
            _(
                "Die Projektgruppen ändern nur das Moderationsteam, die Kommune und das Programmbüro."
            )
        )
    if not voucher.is_open:
        raise InvalidTransition(_("Die Begleitung ist abgeschlossen."))


def clean_text(value: str | None, *, limit: int) -> str:
    return (value or "").strip()[:limit]
