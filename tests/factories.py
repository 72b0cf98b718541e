"""factory_boy factories named in the service contract (DESIGN.md)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import (
    FacilitatorProfile,
    Operator,
    OperatorContact,
    Organisation,
    Programme,
    ProgrammePeriod,
    User,
)
from portal.seed_data import FUNDING_NOTICE_FULL, FUNDING_NOTICE_SHORT
from vouchers.models import Application, Voucher

TEST_PASSWORD = "Sicheres-Testpasswort-2026"
DEFAULT_OPERATOR_SLUG = "programmbuero-muster"


def default_operator() -> Operator:
    """The one operator used wherever a test names none (get-or-create)."""
    operator, created = Operator.objects.get_or_create(
        slug=DEFAULT_OPERATOR_SLUG,
        defaults={
            "name": "Programmträger Muster",
            "legal_name": "Musterstiftung für Engagement",
            "office_name": "Programmbüro Muster",
            "street": "Musterweg 1",
            "postcode": "10115",
            "city": "Berlin",
            "represented_by": "Dr. Maria Muster",
            "phone": "030 123456",
            "email": "programmbuero@muster.example",
            "email_sender_name": "Programmbüro Muster",
        },
    )
    if created:
        OperatorContact.objects.create(
            operator=operator,
            name="Maria Muster",
            role="Referentin",
            phone="030 123457",
            email="maria.muster@muster.example",
        )
    return operator


class OperatorFactory(factory.django.DjangoModelFactory):
    """An operator (Programmträger) with one contact person."""

    class Meta:
        model = Operator
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programmträger {n}")
    slug = factory.Sequence(lambda n: f"traeger-{n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} gGmbH")
    office_name = factory.LazyAttribute(lambda o: f"Programmbüro {o.name}")
    street = "Hauptstraße 5"
    postcode = "70173"
    city = "Stuttgart"
    represented_by = factory.Faker("name", locale="de_DE")
    phone = "0711 000000"
    email = factory.Sequence(lambda n: f"buero{n}@traeger.example")
    email_sender_name = factory.LazyAttribute(lambda o: o.office_name)

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for order, spec in enumerate(extracted or [{}]):
            OperatorContact.objects.create(
                operator=self,
                name=spec.get("name", f"Ansprechperson {self.name}"),
                role=spec.get("role", "Referent*in"),
                phone=spec.get("phone", "0711 000001"),
                email=spec.get("email", f"kontakt-{self.slug}@traeger.example"),
                order=order,
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    role = User.Role.APPLICANT
    organisation = None
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def operators(self, create, extracted, **kwargs):
        """Office staff work for ``operators`` (default: the default operator)."""
        if not create:
            return
        if extracted is not None:
            self.operators.add(*extracted)
        elif self.role == User.Role.OFFICE:
            self.operators.add(default_operator())


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (second factor) with a random key."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory, role=User.Role.ADMIN, is_staff=True)
    name = "Authenticator-App"
    confirmed = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation with one applicant contact who has an email address."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Engagierte Stadt Musterstadt {n}")
    kind = Organisation.Kind.ENGAGIERTE_STADT
    municipality = factory.SelfAttribute("name")
    bundesland = "BW"
    street = "Marktplatz 1"
    postcode = "79098"
    city = "Musterstadt"
    structurally_weak = False
    rural = False
    flags_confirmed = False

    @factory.post_generation
    def contact(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is False:
            return
        UserFactory(role=User.Role.APPLICANT, organisation=self, **kwargs)

    @factory.post_generation
    def cohorts(self, create, extracted, **kwargs):
        if create and extracted:
            self.cohorts.add(*extracted)


PREFIXES = {
    "prozessbegleitung": "PB",
    "virtuell": "VB",
    "begleitprozess": "IBE",
    "werkstatt": "EWS",
}
NAMES = {
    "prozessbegleitung": "Prozessbegleitung",
    "virtuell": "Virtuelle Begleitung",
    "begleitprozess": "Prozessbegleitung Integration durch BE",
    "werkstatt": "Entwicklungswerkstatt",
}


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme whose current period (containing today) has ``contingent`` vouchers; each
    kind gets the seeds' rules by default (960 minutes; 12 units with at most 5 in process; a
    team of two with a council decision; entry by call)."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    class Params:
        contingent = 40

    operator = factory.LazyFunction(default_operator)
    kind = Programme.Kind.PROZESSBEGLEITUNG
    name = factory.LazyAttributeSequence(lambda o, n: f"{NAMES[o.kind]} {n}")
    slug = factory.Sequence(lambda n: f"programm-{n}")
    code_prefix = factory.LazyAttribute(lambda o: PREFIXES[o.kind])
    cap_minutes = factory.LazyAttribute(lambda o: 960 if o.kind == "prozessbegleitung" else None)
    unit_minutes = factory.LazyAttribute(lambda o: 60 if o.kind == "virtuell" else None)
    cap_units = factory.LazyAttribute(lambda o: 12 if o.kind == "virtuell" else None)
    cap_units_in_process = factory.LazyAttribute(lambda o: 5 if o.kind == "virtuell" else None)
    partner_choice = factory.LazyAttribute(
        lambda o: "applicant" if o.kind == "virtuell" else "office"
    )
    allows_follow_up = factory.LazyAttribute(lambda o: o.kind == "prozessbegleitung")
    funding_notice = FUNDING_NOTICE_FULL
    funding_notice_short = FUNDING_NOTICE_SHORT
    eligible_kinds = factory.LazyFunction(list)  # empty: every kind of organisation may apply
    team_size = factory.LazyAttribute(lambda o: 2 if o.kind == "begleitprozess" else 1)
    requires_council_decision = factory.LazyAttribute(lambda o: o.kind == "begleitprozess")
    entry_by_call = factory.LazyAttribute(lambda o: o.kind == "werkstatt")

    period = factory.RelatedFactory(
        "tests.factories.ProgrammePeriodFactory",
        factory_related_name="programme",
        contingent=factory.SelfAttribute("..contingent"),
    )


class ProgrammePeriodFactory(factory.django.DjangoModelFactory):
    """The period containing today."""

    class Meta:
        model = ProgrammePeriod

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.LazyFunction(lambda: str(timezone.localdate().year))
    start = factory.LazyFunction(lambda: dt.date(timezone.localdate().year, 1, 1))
    end = factory.LazyFunction(lambda: dt.date(timezone.localdate().year, 12, 31))
    contingent = 40


class FacilitatorFactory(factory.django.DjangoModelFactory):
    """A FacilitatorProfile with its User (role facilitator), room for several open cases."""

    class Meta:
        model = FacilitatorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=User.Role.FACILITATOR)
    capacity = 10
    bio = "Erfahrene Moderatorin für Beteiligungsprozesse."
    active = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    status = Application.Status.SUBMITTED
    challenge = "Unsere Kerngruppe ist überlastet; wir wollen Aufgaben neu verteilen."
    goals = "Klare Zuständigkeiten und ein gemeinsames Leitbild."
    contact_name = "Erika Mustermann"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    consent = True
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status in ("draft",) else timezone.now()
    )
    created_by = factory.LazyAttribute(lambda o: o.organisation.members.first())


class VoucherFactory(factory.django.DjangoModelFactory):
    """A voucher in the programme's current period; ``active`` (agreement signed) by default."""

    class Meta:
        model = Voucher
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    period = factory.LazyAttribute(
        lambda o: o.programme.current_period() or ProgrammePeriodFactory(programme=o.programme)
    )
    status = Voucher.Status.ACTIVE
    cap_minutes = factory.LazyAttribute(lambda o: o.programme.cap_minutes)
    cap_units = factory.LazyAttribute(lambda o: o.programme.cap_units)
    cap_units_in_process = factory.LazyAttribute(lambda o: o.programme.cap_units_in_process)
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))
    issued_at = factory.LazyFunction(timezone.now)
    activated_at = factory.LazyAttribute(
        lambda o: None if o.status in ("issued", "cancelled") else timezone.now()
    )
    closed_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in Voucher.CLOSED_STATUSES else None
    )

    @factory.lazy_attribute_sequence
    def code(self, n):
        # "F" keeps factory codes apart from the running numbers approve_application issues.
        return f"{self.programme.code_prefix}-{timezone.localdate().year}-F{n + 1:04d}"

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        profiles = [getattr(f, "facilitator_profile", f) for f in extracted]
        self.facilitators.add(*profiles)


def _next_full_hour(days: int = 3) -> dt.datetime:
    start = timezone.now() + dt.timedelta(days=days)
    return start.replace(minute=0, second=0, microsecond=0)


class SlotFactory(factory.django.DjangoModelFactory):
    """A 60-minute sparring slot (appointments), by default in three days; built directly,
    so tests may also place one in the past."""

    class Meta:
        model = "appointments.Slot"

    facilitator = factory.SubFactory(FacilitatorFactory)
    programme = factory.SubFactory(ProgrammeFactory, kind="virtuell")
    starts_at = factory.LazyFunction(_next_full_hour)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=60))
    format = "video"
    video_link = "https://video.example.org/raum-1"
