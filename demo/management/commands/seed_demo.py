"""``python manage.py seed_demo``: idempotent demo data for the embedded default.

Uses the programmes of the data migration; adds ~30 organisations, 8 facilitators with
profiles, one login per role, and applications/vouchers in every state (rows written with
the ORM, dated in the past, each with its audit rows). A second run adds nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import services
from portal.models import (
    AuditEntry,
    Cohort,
    FacilitatorProfile,
    Language,
    Method,
    Organisation,
    Programme,
    Region,
    User,
)
from portal.security import two_factor
from portal.seed_data import seed_reference_data
from sessions_log.models import SessionEntry
from vouchers.models import Application, Voucher

from . import _demo_data as demo

A = Application.Status
V = Voucher.Status
_CODE_TAIL = re.compile(r"-(\d+)$")
VOUCHER_STEPS = [
    V.ISSUED,
    V.ACTIVE,
    V.CLOSING_REQUESTED,
    V.CLOSED,
    V.FEEDBACK_SENT,
    V.FEEDBACK_RECEIVED,
]
FEEDBACK_STATUS = {V.FEEDBACK_SENT: "sent", V.FEEDBACK_RECEIVED: "answered"}


def _audit(actor, action, target, when, from_state="", to_state="", *, reason="", data=None):
    from django.contrib.contenttypes.models import ContentType

    AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data={"demo": True, **(data or {})},
        created_at=when,
    )


class Command(BaseCommand):
    help = "Legt Demodaten an (idempotent) und gibt die Demo-Zugänge aus."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Auch mit gesetztem SECRET_KEY und DEBUG aus (Produktivbetrieb) ausführen.",
        )

    def handle(self, *args, force=False, **options):
        from portal.settings import base

        looks_like_production = not settings.DEBUG and not base._SECRET_MISSING
        if looks_like_production and not force:
            raise CommandError(
                "Demodaten mit bekannten Passwörtern gehören nicht in den Produktivbetrieb. "
                "Mit --force trotzdem anlegen."
            )
        with transaction.atomic():
            seed_reference_data(apps)
            self.now = timezone.now()
            self.today = timezone.localdate()
            self.programmes = {
                "pb": Programme.objects.get(slug="prozessbegleitung"),
                "vb": Programme.objects.get(slug="virtuelle-begleitung"),
            }
            self.logins = self._role_logins()
            self.admin_device = self._admin_second_factor(self.logins["admin"])
            self.office = self.logins["office"]
            self.facilitators = self._facilitators()
            organisations = self._organisations()
            self._pending_registrations()
            created = 0
            for name, steps in demo.SCENARIOS.items():
                org = organisations[name]
                if org.applications.exists() or org.vouchers.exists():
                    continue
                for step in steps:
                    self._application(org, step)
                created += 1
        self._report(created)

    # --- people -----------------------------------------------------------------------

    def _user(self, email, role, first, last, **extra) -> User:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"role": role, "first_name": first, "last_name": last, **extra},
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _role_logins(self) -> dict[str, User]:
        logins = {}
        for email, role, first, last in demo.ROLE_LOGINS:
            extra = {"is_staff": True, "is_superuser": True} if role == "admin" else {}
            user = self._user(email, role, first, last, **extra)
            # The printed password always works, also after someone changed it in the demo.
            user.set_password(demo.DEMO_PASSWORD)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            logins[role] = user
        return logins

    def _admin_second_factor(self, admin: User) -> TOTPDevice:
        """Admins must log in with a second factor: the demo admin gets an authenticator key
        (printed at the end, with a command that shows the current code)."""
        device = two_factor.confirmed_device(admin)
        if device is None:
            device = TOTPDevice.objects.create(
                user=admin, name=two_factor.DEVICE_NAME, confirmed=True
            )
        return device

    def _facilitators(self) -> dict[str, FacilitatorProfile]:
        pb_topics = list(self.programmes["pb"].topics.order_by("order"))
        vb_topics = list(self.programmes["vb"].topics.order_by("order"))
        profiles = {}
        for (
            key,
            first,
            last,
            lands,
            langs,
            pb_idx,
            vb_idx,
            methods,
            capacity,
            bio,
        ) in demo.FACILITATORS:
            user = self._user(f"{key}@{demo.DEMO_DOMAIN}", User.Role.FACILITATOR, first, last)
            profile, created = FacilitatorProfile.objects.get_or_create(
                user=user, defaults={"capacity": capacity, "bio": bio}
            )
            if created:
                profile.topics.set([pb_topics[i] for i in pb_idx] + [vb_topics[i] for i in vb_idx])
                profile.methods.set(Method.objects.filter(name__in=methods))
                profile.regions.set(Region.objects.filter(code__in=lands))
                profile.languages.set(Language.objects.filter(code__in=langs))
                profile.programmes.set(self.programmes.values())
            profiles[key] = profile
        return profiles

    # --- organisations ----------------------------------------------------------------

    def _organisation(self, spec, *, approved=True) -> tuple[Organisation, bool]:
        name, kind, land, city, postcode, weak, rural, confirmed, cohorts = spec
        org, created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "municipality": city if kind != "landkreis" else "",
                "district": city if kind == "landkreis" else "",
                "bundesland": land,
                "street": "Rathausplatz 1" if kind != "landkreis" else "Landratsamt, Kreishaus 1",
                "postcode": postcode,
                "city": city,
                "structurally_weak": weak,
                "rural": rural,
                "flags_justification": (
                    "Angaben laut Förderkulisse des Landes." if (weak or rural) else ""
                ),
                "flags_confirmed": confirmed,
                "flags_confirmed_by": self.office if confirmed else None,
                "flags_confirmed_at": self.now - dt.timedelta(days=30) if confirmed else None,
                "approved": approved,
            },
        )
        if created and cohorts:
            org.cohorts.set(Cohort.objects.filter(name__in=cohorts))
        return org, created

    def _contact(self, org: Organisation) -> User:
        if org.name == "Engagierte Stadt Sendenhorst":
            user = self.logins["applicant"]
            if user.organisation_id != org.pk:
                user.organisation = org
                user.save(update_fields=["organisation"])
            return user
        local = slugify(org.name.replace("ß", "ss")).replace("-", ".")
        return self._user(
            f"kontakt.{local}@{demo.DEMO_DOMAIN}",
            User.Role.APPLICANT,
            "Kontakt",
            org.city,
            organisation=org,
            position="Koordination",
        )

    def _organisations(self) -> dict[str, Organisation]:
        result = {}
        for spec in demo.ORGANISATIONS:
            org, _created = self._organisation(spec)
            self._contact(org)
            result[org.name] = org
        return result

    def _pending_registrations(self) -> None:
        """One new organisation and one membership request for the office's page."""
        org, created = self._organisation(demo.PENDING_ORGANISATION, approved=False)
        contact = self._contact(org)
        if created:
            _audit(contact, "organisation.registered", org, self.now, to_state="pending")
        if not User.objects.filter(email=f"anfrage@{demo.DEMO_DOMAIN}").exists():
            goslar = Organisation.objects.get(name="Engagierte Stadt Goslar")
            user = self._user(f"anfrage@{demo.DEMO_DOMAIN}", User.Role.APPLICANT, "Paul", "Neumann")
            _audit(user, services.MEMBERSHIP_REQUESTED, goslar, self.now, data={"user_id": user.pk})

    # --- applications and vouchers ----------------------------------------------------

    def _application(self, org: Organisation, step: dict) -> Application:
        programme = self.programmes[step["programme"]]
        contact = org.members.filter(role=User.Role.APPLICANT).order_by("pk").first()
        status = step["status"]
        n = Application.objects.count()
        challenge, goals = demo.CHALLENGES[n % len(demo.CHALLENGES)]
        days_ago = step.get("days_ago", 1)
        created_at = self.now - dt.timedelta(days=days_ago + 2)
        submitted_at = None if status == A.DRAFT else self.now - dt.timedelta(days=days_ago)
        decided_at = None
        if status in (A.APPROVED, A.REJECTED, A.WAITLISTED):
            decided_at = submitted_at + dt.timedelta(days=min(7, days_ago))
        follow_up_of = None
        if step.get("follow_up"):
            follow_up_of = org.vouchers.filter(programme=programme).order_by("-issued_at").first()
        preferred = self.facilitators.get(step.get("preferred", ""))
        app = Application.objects.create(
            organisation=org,
            programme=programme,
            status=status,
            topics_other="",
            challenge=challenge,
            goals=goals,
            desired_start=self.today + dt.timedelta(days=30),
            desired_end=self.today + dt.timedelta(days=240),
            desired_format="gemischt" if programme.kind == "prozessbegleitung" else "digital",
            preferred_facilitator=preferred,
            contact_name=f"{contact.first_name} {contact.last_name}",
            contact_email=contact.email,
            contact_phone="0123 456789",
            consent=True,
            follow_up_of=follow_up_of,
            created_by=contact,
            submitted_at=submitted_at,
            decided_at=decided_at,
            decided_by=self.office if decided_at else None,
            decision_reason=(
                "Das Vorhaben passt nicht zu den Zielen des Programms: es geht um eine "
                "Schulung, nicht um eine Prozessbegleitung."
                if status == A.REJECTED
                else ""
            ),
        )
        Application.objects.filter(pk=app.pk).update(created_at=created_at)
        app.topics.set(programme.topics.order_by("order")[n % 3 : n % 3 + 2])
        _audit(contact, "application.created", app, created_at, to_state=A.DRAFT)
        if submitted_at:
            _audit(contact, "application.submitted", app, submitted_at, A.DRAFT, A.SUBMITTED)
        if status == A.IN_REVIEW:
            _audit(
                self.office,
                "application.review_started",
                app,
                submitted_at + dt.timedelta(days=1),
                A.SUBMITTED,
                A.IN_REVIEW,
            )
        elif status == A.WITHDRAWN:
            _audit(
                contact,
                "application.withdrawn",
                app,
                submitted_at + dt.timedelta(days=1),
                A.SUBMITTED,
                A.WITHDRAWN,
            )
        elif decided_at:
            _audit(
                self.office,
                f"application.{status}",
                app,
                decided_at,
                A.SUBMITTED,
                status,
                reason=app.decision_reason,
            )
        if status == A.APPROVED:
            self._voucher(app, step["voucher"], decided_at)
        return app

    def _next_code(self, programme: Programme, period) -> str:
        prefix = f"{programme.code_prefix}-{period.start.year}-"
        codes = Voucher.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        numbers = [int(m.group(1)) for c in codes if (m := _CODE_TAIL.search(c))]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"

    def _voucher(self, app: Application, spec: dict, issued_at) -> Voucher:
        programme = app.programme
        period = programme.current_period()
        target = spec["status"]
        reached = VOUCHER_STEPS[: VOUCHER_STEPS.index(target) + 1]
        valid_until = issued_at.date() + dt.timedelta(days=programme.voucher_validity_days)
        if programme.offer_ends:
            valid_until = min(valid_until, programme.offer_ends)
        activated_at = issued_at + dt.timedelta(days=10) if V.ACTIVE in reached else None
        last_session = max((s[3] for s in spec["sessions"]), default=0)
        end_of_work = (activated_at or issued_at) + dt.timedelta(days=last_session + 5)
        closing_requested_at = end_of_work if V.CLOSING_REQUESTED in reached else None
        closed_at = end_of_work + dt.timedelta(days=4) if V.CLOSED in reached else None
        voucher = Voucher.objects.create(
            code=self._next_code(programme, period),
            application=app,
            organisation=app.organisation,
            programme=programme,
            period=period,
            status=target,
            cap_minutes=programme.cap_minutes,
            cap_units=programme.cap_units,
            cap_units_in_process=programme.cap_units_in_process,
            valid_until=valid_until,
            issued_at=issued_at,
            issued_by=self.office,
            activated_at=activated_at,
            closing_requested_at=closing_requested_at,
            closing_report=(
                "Die Steuergruppe arbeitet mit klaren Rollen; das Leitbild ist beschlossen."
                if closing_requested_at
                else ""
            ),
            closed_at=closed_at,
            closed_by=self.office if closed_at else None,
            feedback_status=FEEDBACK_STATUS.get(target, ""),
        )
        profiles = [self.facilitators[k] for k in spec["facilitators"]]
        voucher.facilitators.set(profiles)
        _audit(
            self.office,
            "voucher.issued",
            voucher,
            issued_at,
            to_state=V.ISSUED,
            data={"code": voucher.code},
        )
        times = {
            V.ACTIVE: activated_at,
            V.CLOSING_REQUESTED: closing_requested_at,
            V.CLOSED: closed_at,
            V.FEEDBACK_SENT: closed_at and closed_at + dt.timedelta(minutes=5),
            V.FEEDBACK_RECEIVED: closed_at and closed_at + dt.timedelta(days=6),
        }
        for before, after in itertools.pairwise(reached):
            actor = self.office if after in (V.ACTIVE, V.CLOSED) else None
            if after == V.CLOSING_REQUESTED:
                actor = profiles[0].user
            _audit(actor, f"voucher.{after}", voucher, times[after], before, after)
        for i, (activity, minutes, fmt, offset) in enumerate(spec["sessions"]):
            day = min((activated_at or issued_at).date() + dt.timedelta(days=offset), self.today)
            profile = profiles[i % len(profiles)]
            SessionEntry.objects.create(
                voucher=voucher,
                facilitator=profile,
                date=day,
                minutes=minutes,
                units=minutes // programme.unit_minutes if programme.unit_minutes else 0,
                activity=activity,
                format=fmt,
                participants=8 + i * 3 if fmt == "vor_ort" else None,
                notes="Ergebnisse im Protokoll festgehalten; nächste Schritte vereinbart.",
                created_by=profile.user,
            )
        return voucher

    # --- output -----------------------------------------------------------------------

    def _report(self, created: int) -> None:
        out = self.stdout
        out.write(
            f"Demodaten: {Organisation.objects.count()} Organisationen, "
            f"{FacilitatorProfile.objects.count()} Prozessbegleiter*innen, "
            f"{Application.objects.count()} Anträge, {Voucher.objects.count()} Gutscheine "
            f"({created} Szenarien neu angelegt)."
        )
        out.write("")
        out.write("Demo-Zugänge (Passwort für alle: " + demo.DEMO_PASSWORD + ")")
        labels = {
            "applicant": "Antragsteller*in",
            "office": "Programmbüro",
            "facilitator": "Prozessbegleiter*in",
            "admin": "Administration",
        }
        for email, role, _first, _last in demo.ROLE_LOGINS:
            out.write(f"  {labels[role]:<22} {email}")
        out.write(f"  {'Passwort':<22} {demo.DEMO_PASSWORD}")
        admin_email = self.logins["admin"].email
        out.write("")
        out.write("Administration meldet sich mit zweitem Faktor an (TOTP, vorgeschrieben).")
        out.write(
            f"  {'Schlüssel für die App':<22} {two_factor.secret_for_display(self.admin_device)}"
        )
        out.write(
            f"  {'Code ohne App':<22} .venv/bin/python manage.py demo_totp_code {admin_email}"
        )
