from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Roof floor: the demo commands (``seed_demo``, ``demo_agreement``, ``demo_totp_code``)."""

    name = "demo"
    verbose_name = "Demo"
