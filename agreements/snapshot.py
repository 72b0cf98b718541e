"""The data an agreement is rendered from, as plain JSON (stored on each version).

The PDF template reads only this snapshot, so a stored version records exactly what it shows
and can be re-rendered or audited later without today's database state."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.texts import DEFAULT_BLOCKS, default_blocks, document_for, fill, placeholders

# 2: the document (``vereinbarung`` | ``gutschein`` | ``zusage`` | ``teilnahme`` | ``neutral``)
# and the programme's word for its case are stored; a snapshot without them is a format-1
# Vereinbarung.
SNAPSHOT_FORMAT = 2
LETTER_PREFIXES = tuple(f"{name}-" for name in DEFAULT_BLOCKS if name != "vereinbarung")


def german_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _sort_key(value: str) -> str:
    """Alphabetical order as in German lists (Ö with O), whatever the database collation."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _german_number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _belongs_to(key: str, document: str) -> bool:
    """Whether a stored block is one of ``document``'s (blocks of another document that an
    earlier release stored for the programme are left out)."""
    if document == "vereinbarung":
        return not key.startswith(LETTER_PREFIXES)
    return key.startswith(f"{document}-")


def text_blocks(programme) -> list[dict]:
    """The programme's text blocks in document order: database rows override the defaults;
    placeholders are filled with the programme's own operator."""
    from agreements.models import AgreementTextBlock

    document = document_for(programme.kind)
    defaults = {
        key: (title, body, order) for key, title, body, order in default_blocks(programme.kind)
    }
    merged = dict(defaults)
    if programme.pk:
        for block in AgreementTextBlock.objects.filter(programme=programme):
            if _belongs_to(block.key, document):
                merged[block.key] = (block.title, block.body, block.order)
    values = placeholders(programme)
    short = merged.get("kurzname-programmbuero", ("", "{programmträger}", 0))[1]
    values["{kurzname}"] = fill(short, values).strip() or values["{programmträger}"]
    ordered = sorted(merged.items(), key=lambda item: (item[1][2], item[0]))
    return [
        {"key": key, "title": fill(title, values), "body": fill(body, values)}
        for key, (title, body, _order) in ordered
    ]


def cap_text(*, kind: str, cap_minutes, cap_units, unit_minutes, cap_units_in_process) -> str:
    """The cap in the agreement's words: "16 Arbeitsstunden" or "12 Sparring-Einheiten à 60
    Minuten, davon höchstens 5 bei den bereits im Prozess befindlichen Prozessbegleiter*innen";
    empty for a kind without a cap in hours or units (accompanied process, workshop)."""
    if not cap_minutes and not cap_units:
        return ""
    if kind == "virtuell" or (cap_units and not cap_minutes):
        units = int(cap_units or 0)
        text = ngettext(
            "%(units)s Sparring-Einheit à %(minutes)s Minuten",
            "%(units)s Sparring-Einheiten à %(minutes)s Minuten",
            units,
        ) % {"units": units, "minutes": int(unit_minutes or 60)}
        if cap_units_in_process is not None:
            text = _(
                "%(cap)s, davon höchstens %(in_process)s bei den bereits im Prozess befindlichen "
                "Prozessbegleiter*innen"
            ) % {"cap": text, "in_process": int(cap_units_in_process)}
        return text
    hours = Decimal(int(cap_minutes or 0)) / Decimal(60)
    hours = hours.quantize(Decimal("0.01")) if hours != hours.to_integral() else hours
    return ngettext(
        "%(hours)s Arbeitsstunde", "%(hours)s Arbeitsstunden", 1 if hours == 1 else 2
    ) % {"hours": _german_number(hours)}


def _office(programme) -> dict:
    """The programme's operator as the agreement names it (party, contacts, signature)."""
    return programme.operator.branding()


def _programme_contacts(programme, office: dict) -> list[dict]:
    """Office contacts, plus the programme's own contact person if not already listed."""
    contacts = list(office["contacts"])
    known = {c["name"] for c in contacts}
    if programme.contact_name and programme.contact_name not in known:
        contacts.append(
            {
                "name": programme.contact_name,
                "role": "",
                "phone": programme.contact_phone,
                "email": programme.contact_email,
            }
        )
    return contacts


def _partner_contact(voucher) -> dict:
    """The contact person from the Antrag, else the organisation's first contact user."""
    application = voucher.application
    if application is not None and application.contact_name.strip():
        return {
            "name": application.contact_name.strip(),
            "email": application.contact_email,
            "phone": application.contact_phone,
            "position": "",
        }
    user = voucher.organisation.contacts().order_by("pk").first()
    if user is None:
        return {"name": "", "email": "", "phone": "", "position": ""}
    return {
        "name": str(user),
        "email": user.email,
        "phone": user.phone,
        "position": user.position,
    }


def _application(voucher) -> dict | None:
    application = voucher.application
    if application is None:
        return None
    return {
        "topics": [t.name for t in application.topics.order_by("order", "name")],
        "topics_other": application.topics_other,
        "challenge": application.challenge,
        "goals": application.goals,
    }


def compose(
    *,
    programme,
    office: dict,
    voucher: dict,
    partner: dict,
    application: dict | None,
    facilitators: list[dict],
    number: int,
    generated_at: dt.datetime,
    generated_by: str,
) -> dict:
    """Assemble the snapshot (shared by real vouchers and the admin's sample preview)."""
    use_short = bool(programme.use_short_notice and programme.funding_notice_short)
    with translation.override(settings.LANGUAGE_CODE):
        case_word = str(programme.case_word())
    return {
        "format": SNAPSHOT_FORMAT,
        "document": document_for(programme.kind),
        "case_word": case_word,
        "version": {
            "number": number,
            "generated_at": generated_at.isoformat(),
            "generated_at_display": timezone.localtime(generated_at).strftime("%d.%m.%Y"),
            "generated_by": generated_by,
        },
        "programme": {
            "id": programme.pk,
            "name": programme.name,
            "kind": programme.kind,
            "team_size": programme.team_size,
        },
        "office": office,
        "contacts": _programme_contacts(programme, office),
        "voucher": voucher,
        "partner": partner,
        "application": application,
        "facilitators": facilitators,
        "funding_notice": {
            "text": programme.agreement_funding_notice(),
            "form": "short" if use_short else "full",
            "short_form_exists": bool(programme.funding_notice_short),
        },
        "blocks": text_blocks(programme),
    }


def build_snapshot(voucher, *, number: int, generated_at: dt.datetime, generated_by) -> dict:
    """Everything the agreement of ``voucher`` shows, read from the database now."""
    programme = voucher.programme
    organisation = voucher.organisation
    with translation.override(settings.LANGUAGE_CODE):
        cap = cap_text(
            kind=programme.kind,
            cap_minutes=voucher.cap_minutes or programme.cap_minutes,
            cap_units=voucher.cap_units or programme.cap_units,
            unit_minutes=programme.unit_minutes,
            cap_units_in_process=(
                voucher.cap_units_in_process
                if voucher.cap_units_in_process is not None
                else programme.cap_units_in_process
            ),
        )
        kind_display = str(organisation.get_kind_display())
    profiles = sorted(
        voucher.facilitators.select_related("user"),
        key=lambda p: (_sort_key(p.user.last_name), _sort_key(p.user.first_name), p.pk),
    )
    facilitators = [{"name": str(p.user), "email": p.user.email} for p in profiles]
    return compose(
        programme=programme,
        office=_office(programme),
        voucher={
            "id": voucher.pk,
            "code": voucher.code,
            "status": voucher.status,
            "valid_until": voucher.valid_until.isoformat(),
            "valid_until_display": german_date(voucher.valid_until),
            "cap": cap,
            "cap_minutes": voucher.cap_minutes or programme.cap_minutes,
            "cap_units": voucher.cap_units or programme.cap_units,
            "cap_units_in_process": voucher.cap_units_in_process,
            "is_virtual": programme.kind == "virtuell",
        },
        partner={
            "name": organisation.name,
            "kind": kind_display,
            "address_lines": organisation.address_lines,
            "contact": _partner_contact(voucher),
        },
        application=_application(voucher),
        facilitators=facilitators,
        number=number,
        generated_at=generated_at,
        generated_by=str(generated_by) if generated_by else "",
    )


def build_sample_snapshot(programme) -> dict:
    """A sample agreement for the admin preview and ``demo_agreement`` (no database writes)."""
    now = timezone.now()
    valid_until = programme.offer_ends or (
        timezone.localdate() + dt.timedelta(days=programme.voucher_validity_days)
    )
    with translation.override(settings.LANGUAGE_CODE):
        cap = cap_text(
            kind=programme.kind,
            cap_minutes=programme.cap_minutes,
            cap_units=programme.cap_units,
            unit_minutes=programme.unit_minutes,
            cap_units_in_process=programme.cap_units_in_process,
        )
        sample = _("Muster")
    return compose(
        programme=programme,
        office=_office(programme),
        voucher={
            "id": None,
            "code": f"{programme.code_prefix}-{sample.upper()}",
            "status": "issued",
            "valid_until": valid_until.isoformat(),
            "valid_until_display": german_date(valid_until),
            "cap": cap,
            "cap_minutes": programme.cap_minutes,
            "cap_units": programme.cap_units,
            "cap_units_in_process": programme.cap_units_in_process,
            "is_virtual": programme.kind == "virtuell",
        },
        partner={
            "name": "Gemeinde Überlingen-Süd",
            "kind": "Kommune",
            "address_lines": ["Rathausplatz 1", "88662 Überlingen"],
            "contact": {
                "name": "Erika Mustermann",
                "email": "erika.mustermann@example.org",
                "phone": "07551 99-0",
                "position": "Bürgermeisteramt",
            },
        },
        application={
            "topics": ["Formate zur Beteiligung", "Verstetigung"],
            "topics_other": "",
            "challenge": "Die Kerngruppe ist überlastet; neue Engagierte fehlen.",
            "goals": "Klare Zuständigkeiten und ein gemeinsames Leitbild.",
        },
        facilitators=[{"name": "Maria Beispiel", "email": "maria.beispiel@example.org"}],
        number=0,
        generated_at=now,
        generated_by="",
    )
