"""``python manage.py seed_demo``: idempotent demo data for the embedded default.

Uses the operators and the four programmes of the data migration; adds ~30 organisations,
8 facilitators with profiles, one login per role, one office login per operator plus one
who works for two, and cases in every state in all four programmes (rows written with the
ORM, dated in the past, each with its audit rows). Every Antrag obeys its programme's
eligibility. A second run adds nothing."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.appointments import seed_appointments
from demo.evidence import seed_evidence
from demo.offers import seed_offers
from demo.process import seed_process
from portal import services
from portal.models import (
    Cohort,
    FacilitatorProfile,
    Language,
    Method,
    Operator,
    Organisation,
    Programme,
    Region,
    User,
)
from portal.security import two_factor
from portal.seed_data import seed_reference_data
from vouchers.models import Application, Voucher

from . import _demo_data as demo
from . import _demo_programmes as platform
from ._demo_cases import CasesMixin, audit


class Command(CasesMixin, BaseCommand):
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
                key: Programme.objects.select_related("operator").get(slug=slug)
                for key, slug in platform.PROGRAMME_SLUGS.items()
            }
            self.logins = self._role_logins()
            self.admin_device = self._admin_second_factor(self.logins["admin"])
            self.office = self.logins["office"]
            self.offices = self._office_logins()
            self.facilitators = self._facilitators()
            organisations = self._organisations()
            self._pending_registrations()
            self._agreement_texts()
            created = 0
            # The platform's scenarios first: a process before the sparring that counts it.
            for scenarios in (platform.PROGRAMME_SCENARIOS, demo.SCENARIOS):
                for name, steps in scenarios.items():
                    created += self._scenario(organisations[name], steps)
        seed_appointments()  # the sparring calendar (demo/appointments.py)
        seed_evidence()  # confirmation states and a proof of use (demo/evidence.py)
        seed_process()  # plans, project groups, network meetings (demo/process.py)
        seed_offers()  # a cancellation, an expired and an open offer (demo/offers.py)
        self._report(created)

    def _scenario(self, org: Organisation, steps: list[dict]) -> int:
        """Apply the steps of each programme the organisation has nothing in yet."""
        created = 0
        for key in dict.fromkeys(step["programme"] for step in steps):
            programme = self.programmes[key]
            if (
                org.applications.filter(programme=programme).exists()
                or org.vouchers.filter(programme=programme).exists()
            ):
                continue
            for step in (s for s in steps if s["programme"] == key):
                if "site" in step:
                    self._site(org, step)
                else:
                    self._application(org, step)
            created += 1
        return created

    def _office_of(self, programme: Programme) -> User:
        """The office login of the programme's operator (acts in its audit rows)."""
        return self.offices.get(programme.operator.slug, self.office)

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

    def _office_logins(self) -> dict[str, User]:
        """One office login per operator plus one who works for two; returns the first
        login of each operator by its slug."""
        operators = {o.slug: o for o in Operator.objects.all()}
        by_operator: dict[str, User] = {}
        for email, first, last, slugs in platform.OFFICE_LOGINS:
            user = self._user(email, User.Role.OFFICE, first, last)
            user.set_password(demo.DEMO_PASSWORD)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            user.operators.set([operators[slug] for slug in slugs])
            if len(slugs) == 1:
                by_operator.setdefault(slugs[0], user)
        return by_operator

    def _agreement_texts(self) -> None:
        """The seed 002 agreement calls the Führungsakademie by its short name."""
        from agreements.models import AgreementTextBlock

        AgreementTextBlock.objects.get_or_create(
            programme=self.programmes["ibe"],
            key="kurzname-programmbuero",
            defaults={"title": "", "body": "Führungsakademie", "order": 20},
        )

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
            # Every programme, also those added after the profile (an older demo database).
            profile.programmes.add(*self.programmes.values())
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
        for spec in [*demo.ORGANISATIONS, *platform.NRW_ORGANISATIONS]:
            org, _created = self._organisation(spec)
            self._contact(org)
            result[org.name] = org
        return result

    def _pending_registrations(self) -> None:
        """One new organisation and one membership request for the office's page."""
        org, created = self._organisation(demo.PENDING_ORGANISATION, approved=False)
        contact = self._contact(org)
        if created:
            audit(contact, "organisation.registered", org, self.now, to_state="pending")
        if not User.objects.filter(email=f"anfrage@{demo.DEMO_DOMAIN}").exists():
            goslar = Organisation.objects.get(name="Engagierte Stadt Goslar")
            user = self._user(f"anfrage@{demo.DEMO_DOMAIN}", User.Role.APPLICANT, "Paul", "Neumann")
            audit(user, services.MEMBERSHIP_REQUESTED, goslar, self.now, data={"user_id": user.pk})

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
            if role != "office":
                out.write(f"  {labels[role]:<22} {email}")
        in_process = Organisation.objects.get(name=platform.IN_PROCESS_ORGANISATION)
        contact = in_process.members.filter(role=User.Role.APPLICANT).order_by("pk").first()
        if contact is not None:
            out.write(f"  {labels['applicant']:<22} {contact.email}")
            out.write(f"  {'':<22} ({in_process.name}: FüAk-Prozessbegleitung und Virtuelle")
            out.write(f"  {'':<22} Begleitung – höchstens 5 Einheiten „im Prozess“)")
        out.write(f"  {'Passwort':<22} {demo.DEMO_PASSWORD}")
        out.write("")
        out.write("Programmbüros je Programmträger (sehen nur dessen Programme):")
        for email, _first, _last, slugs in platform.OFFICE_LOGINS:
            names = " + ".join(platform.OPERATOR_LABELS[slug] for slug in slugs)
            out.write(f"  {email:<24} {names}")
        admin_email = self.logins["admin"].email
        out.write("")
        out.write("Administration meldet sich mit zweitem Faktor an (TOTP, vorgeschrieben).")
        out.write(
            f"  {'Schlüssel für die App':<22} {two_factor.secret_for_display(self.admin_device)}"
        )
        out.write(
            f"  {'Code ohne App':<22} .venv/bin/python manage.py demo_totp_code {admin_email}"
        )
