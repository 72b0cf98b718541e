"""Default text blocks of each programme kind's document (rule 6: documents per programme).

| kind                | document        | template                            | seed |
|---------------------|-----------------|-------------------------------------|------|
| ``begleitprozess``  | Vereinbarung    | ``agreements/agreement_pdf.html``   | 002  |
| ``prozessbegleitung`` | Gutschein     | ``agreements/document_pdf.html``    | 000  |
| ``virtuell``        | Zusage          | ``agreements/document_pdf.html``    | 001  |
| ``werkstatt``       | Teilnahmevereinbarung | ``agreements/document_pdf.html`` | 004 |
| any other kind      | neutral Vereinbarung | ``agreements/document_pdf.html`` | —   |

Database rows (``AgreementTextBlock``, edited in the admin) override these per programme and
key. Block bodies use a tiny markup (see ``agreements.markup``): blank lines separate
paragraphs, ``- `` starts a bullet (indent two spaces for a nested one), ``1. `` a numbered
item and ``## `` a sub-heading.

Placeholders, filled from the programme and **its own** operator when a document is built (so
no default ever names another operator): ``{programmträger}`` (the operator's legal name),
``{programmbüro}`` (the name of its office), ``{programm}`` (the programme's name) and, in the
Vereinbarung, ``{kurzname}`` (the block ``kurzname-programmbuero``).

Keys of the Vereinbarung and where its template places them:

``titel``                   title and subtitle of the document
``kurzname-programmbuero``  how the text names the operator ("Führungsakademie")
``kurzname-partner``        how the text names the partner ("Projektpartner")
``s1`` / ``s1-schluss``     section 1; the goals and topics of the Antrag follow ``s1-schluss``
``s2`` and ``s2-*``         section 2; each ``s2-*`` block is one building block
``s3``                      section 3 opening; the moderation team and contact person follow
``s3-weitere``              section 3, further framework conditions
``s3-foerderhinweis``       sentence that introduces the funding notice
``s3-kurzform``             explains the short form (shown only with the full notice)
``s4``                      section 4 after the project period (cancellation, evaluation)
``s5``                      section 5 opening; the contact persons follow
``unterschriften``          title of the signature block

The letters' keys are described in ``agreements.texts.letters``.
"""

from __future__ import annotations

from agreements.texts.letters import GUTSCHEIN, NEUTRAL, TEILNAHME, ZUSAGE
from agreements.texts.vereinbarung import PROJECT, VEREINBARUNG

__all__ = [
    "DEFAULT_BLOCKS",
    "DOCUMENTS",
    "PROJECT",
    "default_blocks",
    "document_for",
    "fill",
    "placeholders",
]

# Which document a programme kind issues; a kind missing here gets the neutral one.
DOCUMENTS = {
    "begleitprozess": "vereinbarung",
    "prozessbegleitung": "gutschein",
    "virtuell": "zusage",
    "werkstatt": "teilnahme",
}
NEUTRAL_DOCUMENT = "neutral"

DEFAULT_BLOCKS: dict[str, dict[str, tuple[str, str]]] = {
    "vereinbarung": VEREINBARUNG,
    "gutschein": GUTSCHEIN,
    "zusage": ZUSAGE,
    "teilnahme": TEILNAHME,
    "neutral": NEUTRAL,
}


def document_for(kind: str) -> str:
    """The document a programme of ``kind`` issues (``neutral`` for a kind without texts)."""
    document = DOCUMENTS.get(kind, NEUTRAL_DOCUMENT)
    return document if document in DEFAULT_BLOCKS else NEUTRAL_DOCUMENT


_SECTION_ORDER = (
    "titel",
    "kurzname-programmbuero",
    "kurzname-partner",
    "s1",
    "s1-schluss",
    "s2",
    "s2-",
    "s3",
    "s3-weitere",
    "s3-foerderhinweis",
    "s3-kurzform",
    "s4",
    "s5",
    "unterschriften",
)


def _position(key: str) -> int:
    if key in _SECTION_ORDER:
        return _SECTION_ORDER.index(key)
    if key.startswith("s2-"):
        return _SECTION_ORDER.index("s2-")
    return len(_SECTION_ORDER)


def default_blocks(kind: str) -> list[tuple[str, str, str, int]]:
    """``(key, title, body, order)`` of a programme kind's default blocks, in document order."""
    blocks = DEFAULT_BLOCKS[document_for(kind)]
    keys = sorted(blocks, key=_position)  # stable: the other blocks keep their written order
    return [(key, *blocks[key], (i + 1) * 10) for i, key in enumerate(keys)]


def placeholders(programme) -> dict[str, str]:
    """The values of the placeholders for ``programme``: always its own operator's."""
    operator = programme.operator
    return {
        "{programmträger}": operator.legal_name or operator.name,
        "{programmbüro}": operator.office_name or operator.name,
        "{programm}": programme.name,
    }


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with the placeholders replaced (plain replacement: other braces stay)."""
    for token, value in values.items():
        text = text.replace(token, value)
    return text
