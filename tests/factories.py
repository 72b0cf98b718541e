"""factory_boy factories named in the service contract (DESIGN.md)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import FacilitatorProfile, Organisation, Programme, ProgrammePeriod, User
from portal.seed_data import FUNDING_NOTICE_FULL, FUNDING_NOTICE_SHORT
from vouchers.models import Application, Voucher

TEST_PASSWORD = "Sicheres-Testpasswort-2026"


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


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A programme whose current period (containing today) has ``contingent`` vouchers."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    class Params:
        contingent = 40

    kind = Programme.Kind.PROZESSBEGLEITUNG
    name = factory.LazyAttributeSequence(
        lambda o, n: (
            ("Virtuelle Begleitung" if o.kind == "virtuell" else "Prozessbegleitung") + f" {n}"
        )
    )
    slug = factory.Sequence(lambda n: f"programm-{n}")
    code_prefix = factory.LazyAttribute(lambda o: "VB" if o.kind == "virtuell" else "PB")
    cap_minutes = factory.LazyAttribute(lambda o: None if o.kind == "virtuell" else 960)
    unit_minutes = factory.LazyAttribute(lambda o: 60 if o.kind == "virtuell" else None)
    cap_units = factory.LazyAttribute(lambda o: 12 if o.kind == "virtuell" else None)
    cap_units_in_process = factory.LazyAttribute(lambda o: 5 if o.kind == "virtuell" else None)
    partner_choice = factory.LazyAttribute(
        lambda o: "applicant" if o.kind == "virtuell" else "office"
    )
    allows_follow_up = factory.LazyAttribute(lambda o: o.kind != "virtuell")
    funding_notice = FUNDING_NOTICE_FULL
    funding_notice_short = FUNDING_NOTICE_SHORT
    eligible_kinds = factory.LazyFunction(list)  # empty: every kind of organisation may apply

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
