from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeWorkConfig(AppConfig):
    """Work floor: process plans, project groups, meetings and attendance, calls and reviews,
    the learning-resource pool."""

    name = "programme_work"
    verbose_name = _("Prozessarbeit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from programme_work.services.admission import check_admission
        from vouchers import hooks

        hooks.register_admission_check(check_admission)

        from agreements.proof_of_use import register_milestones
        from programme_work.selectors import milestones_for_proof_of_use

        register_milestones(milestones_for_proof_of_use)
