from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "vouchers"
    verbose_name = _("Anträge und Gutscheine")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from vouchers.services.lottery import register_sqlite_functions

        # SHA-256 for the lottery's ordering on SQLite (PostgreSQL has its own).
        connection_created.connect(register_sqlite_functions, dispatch_uid="vouchers-sha256")

        from portal import hooks
        from vouchers.selectors import open_cases_of_profile

        hooks.register_open_cases(open_cases_of_profile)

        from vouchers.services.offers import change_contingent

        hooks.register_contingent_changer(change_contingent)

        from portal import outbox
        from vouchers.feedback import resend_feedback_mail

        outbox.register_resender("feedback", resend_feedback_mail)
        outbox.register_resender("feedback-reminder", resend_feedback_mail)
