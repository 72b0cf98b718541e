from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsLogConfig(AppConfig):
    name = "sessions_log"
    verbose_name = _("Sitzungsnachweis")

    def ready(self) -> None:
        from sessions_log.confirmation import check_can_close
        from sessions_log.selectors import annotate_usage, usage_of
        from vouchers import hooks

        hooks.register_usage(annotate=annotate_usage, usage_of=usage_of)
        hooks.register_close_check(check_can_close)
