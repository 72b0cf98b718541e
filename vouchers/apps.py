from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "vouchers"
    verbose_name = _("Anträge und Gutscheine")

    def ready(self) -> None:
        from portal import hooks
        from vouchers.selectors import open_cases_of_profile

        hooks.register_open_cases(open_cases_of_profile)

        from portal import outbox
        from vouchers.feedback import resend_feedback_mail

        outbox.register_resender("feedback", resend_feedback_mail)
        outbox.register_resender("feedback-reminder", resend_feedback_mail)
