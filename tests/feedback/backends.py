"""A locmem email backend whose "mail server" refuses chosen recipients (test double of the
SMTP server, not of our code): lets a test see what a retried task sends."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    # Class-level switches the test flips (the backend is instantiated per send).
    refuse: set[str] = set()
    attempts: list[str] = []

    def send_messages(self, messages):
        for message in messages:
            for recipient in message.to:
                type(self).attempts.append(recipient)
                if recipient in type(self).refuse:
                    raise smtplib.SMTPRecipientsRefused({recipient: (451, b"try again later")})
        return super().send_messages(messages)
