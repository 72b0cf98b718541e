"""Users and roles, organisations, programmes with their rules and contingents, facilitators,
and the audit trail every service writes to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Bundesland(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class UserManager(BaseUserManager):
    """Users log in with their email address."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Eine E-Mail-Adresse ist erforderlich.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with exactly one role. Applicants belong to an organisation."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Antragsteller*in")
        OFFICE = "office", _("Programmbüro")
        FACILITATOR = "facilitator", _("Prozessbegleiter*in")
        ADMIN = "admin", _("Administration")

    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    position = models.CharField(_("Funktion"), max_length=120, blank=True)
    inbox_seen_at = models.DateTimeField(_("Eingang zuletzt gesehen"), null=True, blank=True)
    operators = models.ManyToManyField(
        "portal.Operator",
        verbose_name=_("Programmträger"),
        blank=True,
        related_name="staff",
        help_text=_("Programmbüro: die Programmträger, für die diese Person arbeitet."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_applicant(self) -> bool:
        return self.role == self.Role.APPLICANT

    @property
    def is_office(self) -> bool:
        """Programme office staff; admins may do everything the office does."""
        return self.role in (self.Role.OFFICE, self.Role.ADMIN)

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @property
    def is_portal_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    def office_operator_ids(self) -> frozenset[int]:
        """The operators an office user works for (cached on the instance)."""
        cached = getattr(self, "_operator_ids", None)
        if cached is None:
            cached = (
                frozenset(self.operators.values_list("pk", flat=True)) if self.pk else frozenset()
            )
            self._operator_ids = cached
        return cached

    def works_for(self, operator_id: int | None) -> bool:
        """Admins act everywhere; office staff only for their own operators' programmes."""
        if self.role == self.Role.ADMIN or self.is_superuser:
            return True
        return self.role == self.Role.OFFICE and operator_id in self.office_operator_ids()


class Operator(models.Model):
    """A Programmträger with its own Programmbüro: named on its programmes' pages, emails and
    documents. Office staff work for one or more operators and see only their programmes."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), unique=True)
    legal_name = models.CharField(_("rechtlicher Name"), max_length=250)
    office_name = models.CharField(
        _("Name des Programmbüros"), max_length=200, help_text=_("z. B. „Programmbüro …“")
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    represented_by = models.CharField(_("vertreten durch"), max_length=200, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail des Programmbüros"), blank=True)
    office_notification_email = models.EmailField(
        _("E-Mail für Eingangsmeldungen"),
        blank=True,
        help_text=_(
            "Neue Anträge, Rückzüge, Abschlussmeldungen und abgelehnte Platzangebote, je eine "
            "E-Mail; leer: keine solchen E-Mails (das „Eingang“ im Portal zeigt sie trotzdem)."
        ),
    )
    email_sender_name = models.CharField(_("Absendername für E-Mails"), max_length=120, blank=True)
    accessibility_contact = models.EmailField(
        _("Kontakt für Barrierefreiheit und Rückmeldungen"), blank=True
    )
    website = models.URLField(_("Website"), blank=True)
    publish_allocation_names = models.BooleanField(
        _("Namen im Vergabeprotokoll veröffentlichen"), default=False
    )

    class Meta:
        verbose_name = _("Programmträger")
        verbose_name_plural = _("Programmträger")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def city_line(self) -> str:
        return f"{self.postcode} {self.city}".strip()

    @property
    def notification_address(self) -> str:
        return self.office_notification_email or self.email

    def from_email(self) -> str:
        """The sender of the operator's emails: its name, the portal's address."""
        from email.utils import formataddr, parseaddr

        _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        return formataddr((self.email_sender_name or self.office_name, address))

    def branding(self) -> dict:
        """What documents, emails and pages show of the operator (one shape everywhere)."""
        return {
            "name": self.office_name,
            "organisation": self.legal_name,
            "short_name": self.name,
            "street": self.street,
            "city": self.city_line,
            "phone": self.phone,
            "email": self.email,
            "represented_by": self.represented_by,
            "accessibility_contact": self.accessibility_contact or self.email,
            "website": self.website,
            "contacts": [
                {"name": c.name, "role": c.role, "phone": c.phone, "email": c.email}
                for c in self.contacts.all()
            ],
        }


class OperatorContact(models.Model):
    """A contact person of an operator, shown on its agreements, emails and contact pages."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("Name"), max_length=200)
    role = models.CharField(_("Funktion"), max_length=200, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["operator", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """A project cohort (e.g. "2018/19") that makes an organisation eligible for a programme."""

    name = models.CharField(_("Bezeichnung"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("Kohorte")
        verbose_name_plural = _("Kohorten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An Engagierte Stadt, a Kommune or a Landkreis that applies for vouchers."""

    class Kind(models.TextChoices):
        ENGAGIERTE_STADT = "engagierte_stadt", _("Engagierte Stadt")
        KOMMUNE = "kommune", _("Kommune")
        LANDKREIS = "landkreis", _("Landkreis")
        GVV = "gvv", _("Gemeindeverwaltungsverband")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.KOMMUNE)
    municipality = models.CharField(_("Gemeinde/Stadt"), max_length=200, blank=True)
    district = models.CharField(_("Landkreis"), max_length=200, blank=True)
    bundesland = models.CharField(
        _("Bundesland"), max_length=2, choices=Bundesland.choices, default=Bundesland.BW
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    structurally_weak = models.BooleanField(_("strukturschwache Region"), default=False)
    rural = models.BooleanField(_("ländliche Region"), default=False)
    flags_confirmed = models.BooleanField(
        _("Regionsangaben bestätigt"),
        default=False,
        help_text=_("Vom Programmbüro geprüft. Bis dahin zählen die Angaben der Organisation."),
    )
    flags_justification = models.TextField(_("Begründung der Regionsangaben"), blank=True)
    flags_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flags_confirmed_at = models.DateTimeField(null=True, blank=True)
    cohorts = models.ManyToManyField(Cohort, verbose_name=_("Kohorten"), blank=True)
    approved = models.BooleanField(
        _("vom Programmbüro freigegeben"),
        default=True,
        help_text=_("Neu registrierte Organisationen werden vom Programmbüro freigegeben."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.city}".strip()) if line]

    def contacts(self):
        """The organisation's applicant users who can be written to."""
        return self.members.filter(role=User.Role.APPLICANT, is_active=True).exclude(email="")


class Programme(models.Model):
    """A funding programme: its rules live here, so that every programme runs on one code path."""

    class Kind(models.TextChoices):
        PROZESSBEGLEITUNG = "prozessbegleitung", _("Prozessbegleitung (Gutschein)")
        BEGLEITPROZESS = "begleitprozess", _("Begleiteter Prozess")
        VIRTUELL = "virtuell", _("Virtuelle Begleitung")
        WERKSTATT = "werkstatt", _("Entwicklungswerkstatt")

    class PartnerChoice(models.TextChoices):
        OFFICE = "office", _("Programmbüro vermittelt passgenau")
        APPLICANT = "applicant", _("freie Wahl aus der Übersicht")

    operator = models.ForeignKey(
        Operator,
        verbose_name=_("Programmträger"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), unique=True)
    code_prefix = models.CharField(
        _("Präfix der Gutscheincodes"), max_length=5, default="PB", help_text="z. B. PB, VB"
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    target_group = models.TextField(_("Zielgruppe/Berechtigte"), blank=True)
    # Caps. Prozessbegleitung: minutes per voucher. Virtuelle Begleitung: units per organisation.
    cap_minutes = models.PositiveIntegerField(
        _("Obergrenze Minuten je Gutschein"), null=True, blank=True, help_text="16 Stunden = 960"
    )
    unit_minutes = models.PositiveIntegerField(
        _("Dauer einer Einheit (Minuten)"), null=True, blank=True, help_text="z. B. 60"
    )
    cap_units = models.PositiveIntegerField(
        _("Obergrenze Einheiten je Organisation"), null=True, blank=True
    )
    cap_units_in_process = models.PositiveIntegerField(
        _("davon höchstens mit Prozessbegleiter*innen im Prozess"), null=True, blank=True
    )
    partner_choice = models.CharField(
        _("Wahl der Begleitung"),
        max_length=20,
        choices=PartnerChoice.choices,
        default=PartnerChoice.OFFICE,
    )
    eligible_kinds = models.JSONField(
        _("berechtigte Arten von Organisationen"), default=list, blank=True
    )
    eligible_cohorts = models.ManyToManyField(
        Cohort, verbose_name=_("berechtigte Kohorten"), blank=True
    )
    allows_follow_up = models.BooleanField(_("Folgegutschein möglich"), default=False)
    voucher_validity_days = models.PositiveIntegerField(
        _("Gültigkeit eines Gutscheins (Tage)"), default=365
    )
    offer_ends = models.DateField(_("Angebot endet am"), null=True, blank=True)
    funding_notice = models.TextField(_("Förderhinweis (vollständig)"), blank=True)
    funding_notice_short = models.TextField(_("Förderhinweis (Kurzform)"), blank=True)
    use_short_notice = models.BooleanField(
        _("Kurzform des Förderhinweises in der Vereinbarung verwenden"), default=False
    )
    feedback_reminder_days = models.PositiveIntegerField(
        _("Erinnerung an den Feedbackbogen nach (Tagen)"), default=14
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=50, blank=True)
    active = models.BooleanField(_("Anträge möglich"), default=True)
    # How one gets in and what a case needs (seed 002 / 004).
    entry_by_call = models.BooleanField(
        _("Bewerbung über Ausschreibung"),
        default=False,
        help_text=_("Keine laufenden Anträge: Bewerbungen nur während einer Ausschreibung."),
    )
    requires_council_decision = models.BooleanField(
        _("Beschluss (Gemeinderat/Kreistag) vor der Aufnahme erforderlich"), default=False
    )
    team_size = models.PositiveSmallIntegerField(
        _("Größe des Begleitteams"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("z. B. 2 für ein Moderationsteam"),
    )
    project_end = models.DateField(
        _("Ende des Projektzeitraums"),
        null=True,
        blank=True,
        help_text=_("Begleitete Prozesse: alle Begleitungen enden spätestens an diesem Tag."),
    )
    # Two-sided hours (rule 10), offers (rule 11), sparring calendar (rule 12).
    confirmation_days = models.PositiveSmallIntegerField(
        _("Bestätigungsfrist für Einträge (Tage)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    auto_offer = models.BooleanField(_("frei gewordene Plätze automatisch anbieten"), default=True)
    offer_days = models.PositiveSmallIntegerField(
        _("Frist eines Platzangebots (Tage)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    cancel_notice_hours = models.PositiveSmallIntegerField(
        _("kostenfreie Absage bis (Stunden vorher)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
    )
    late_cancel_counts = models.BooleanField(
        _("späte Absage und Nichterscheinen zählen als Einheit"), default=True
    )
    signed_reminder_days = models.PositiveSmallIntegerField(
        _("Erinnerung an die unterschriebene Vereinbarung nach (Tagen)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    publish_allocation_log = models.BooleanField(
        _("Vergabeprotokoll öffentlich zeigen"), default=False
    )

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="prozessbegleitung", cap_minutes__isnull=False)
                | Q(kind="virtuell", unit_minutes__isnull=False, cap_units__isnull=False)
                | Q(kind__in=("begleitprozess", "werkstatt")),
                name="programme_caps_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_virtual(self) -> bool:
        return self.kind == self.Kind.VIRTUELL

    @property
    def is_voucher(self) -> bool:
        """The DSEE kind: a voucher of hours with a cap."""
        return self.kind == self.Kind.PROZESSBEGLEITUNG

    @property
    def is_process(self) -> bool:
        """The FüAk accompanied process: a project period, a team, a process plan."""
        return self.kind == self.Kind.BEGLEITPROZESS

    @property
    def is_workshop(self) -> bool:
        return self.kind == self.Kind.WERKSTATT

    @property
    def takes_applications(self) -> bool:
        """Whether the Antrag form is open (a call-based programme takes none outside a call)."""
        return self.active and not self.entry_by_call

    def case_word(self) -> str:
        """The programme's own word for an admitted case (DESIGN.md: "Voucher" is the model)."""
        return {
            self.Kind.PROZESSBEGLEITUNG: _("Gutschein"),
            self.Kind.BEGLEITPROZESS: _("Prozessbegleitung"),
            self.Kind.VIRTUELL: _("Zusage"),
            self.Kind.WERKSTATT: _("Teilnahme"),
        }.get(self.kind, _("Gutschein"))

    @property
    def applicant_chooses(self) -> bool:
        return self.partner_choice == self.PartnerChoice.APPLICANT

    def current_period(self, on: dt.date | None = None) -> ProgrammePeriod | None:
        """The period containing ``on`` (today), else the latest one that has started."""
        on = on or timezone.localdate()
        periods = self.periods.order_by("-start")
        return periods.filter(start__lte=on, end__gte=on).first() or periods.first()

    def agreement_funding_notice(self) -> str:
        if self.use_short_notice and self.funding_notice_short:
            return self.funding_notice_short
        return self.funding_notice


class ProgrammePeriod(models.Model):
    """A programme period with its contingent of vouchers (e.g. 40 in 2027).

    This row stands for the scarce capacity: allocations lock it (``select_for_update``)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField(_("Bezeichnung"), max_length=50)
    start = models.DateField(_("Beginn"))
    end = models.DateField(_("Ende"))
    contingent = models.PositiveIntegerField(
        _("Kontingent (Gutscheine)"), validators=[MaxValueValidator(100_000)]
    )
    # Drawn once (``secrets``) at the period's first allocation; orders ties within a tier and
    # day reproducibly (rule 11). Published on the allocation log; never changes.
    lottery_seed = models.CharField(_("Losentscheid-Seed"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("Programmzeitraum")
        verbose_name_plural = _("Programmzeiträume")
        ordering = ["programme", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="unique_period_name"),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.name}"


class Topic(models.Model):
    """A topic of a programme's application form (seed 000 / seed 001 lists)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("Thema"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    order = models.PositiveIntegerField(default=0)
    is_free_text = models.BooleanField(
        _("mit Freitext"), default=False, help_text=_("z. B. „Spezifische Themenfelder“")
    )

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="unique_topic_per_programme")
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(_("Kürzel"), max_length=10, unique=True)
    name = models.CharField(_("Sprache"), max_length=60)

    class Meta:
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Method(models.Model):
    name = models.CharField(_("Methode"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("Methode")
        verbose_name_plural = _("Methoden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A Bundesland a facilitator works in (code = ``Bundesland`` value)."""

    code = models.CharField(max_length=2, choices=Bundesland.choices, unique=True)

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class FacilitatorProfile(models.Model):
    """Public profile of a Prozessbegleiter*in / Sparring-Partner*in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facilitator_profile"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("Schwerpunktthemen"), blank=True)
    methods = models.ManyToManyField(Method, verbose_name=_("Methoden"), blank=True)
    regions = models.ManyToManyField(Region, verbose_name=_("Regionen"), blank=True)
    languages = models.ManyToManyField(Language, verbose_name=_("Sprachen"), blank=True)
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("Programme"), blank=True, related_name="facilitators"
    )
    capacity = models.PositiveIntegerField(_("höchstens offene Begleitungen"), default=4)
    bio = models.TextField(_("Kurzprofil"), blank=True)
    photo = models.ImageField(_("Foto"), upload_to="profiles/", blank=True)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Profil Prozessbegleitung")
        verbose_name_plural = _("Profile Prozessbegleitung")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("facilitator_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return str(self.user)


class AuditEntry(models.Model):
    """One row per state change or sensitive action, written explicitly by the service."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("durch"),
    )
    action = models.CharField(_("Aktion"), max_length=80)
    # The operator whose programme the row concerns (if any): the office's "Eingang" lists
    # new rows of its own operators without reaching into the upper apps.
    operator = models.ForeignKey(
        "portal.Operator", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    from_state = models.CharField(_("von"), max_length=40, blank=True)
    to_state = models.CharField(_("nach"), max_length=40, blank=True)
    reason = models.TextField(_("Begründung"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"]),
            models.Index(fields=["operator", "action", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type_id}:{self.target_id}"


def export_upload_to(instance, filename):
    # Server-chosen name under MEDIA_ROOT (outside the web root); served only by a view
    # that checks who asked for the export.
    return f"exports/{instance.uuid}/{filename}"


class OutboundMail(models.Model):
    """One email that must leave at most once (feedback invitations, reminders …), keyed by
    what it is about. Marked ``sending`` in its own transaction *before* the SMTP
    conversation: a conversation that breaks off after the message was handed over (a timeout
    waiting for "250", a worker killed mid-DATA) leaves it ``uncertain`` — never resent
    automatically; the office sees it and may resend. Failures before DATA (connection refused,
    greeting or login timeout, a refused sender or recipient) are retried."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("versandt")
        UNCERTAIN = "uncertain", _("unklar, ob zugestellt")
        FAILED = "failed", _("abgewiesen")

    key = models.CharField(_("Schlüssel"), max_length=200, unique=True)
    recipient = models.EmailField(_("Empfänger*in"))
    template = models.CharField(_("Vorlage"), max_length=80, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250)
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.CharField(_("letzter Fehler"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.key
