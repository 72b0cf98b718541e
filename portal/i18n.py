"""Language selection: German unless the user chose English with the switch in the header.

Django's ``LocaleMiddleware`` would follow the browser's ``Accept-Language`` header, so a
browser set to English would show an English UI nobody asked for. The portal is German
(``LANGUAGE_CODE``); only the language cookie set by ``set_language`` changes that."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
