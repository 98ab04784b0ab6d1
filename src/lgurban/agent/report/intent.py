"""Whether a user's message asks for a report (issue 15): cheap keywords, English and Italian.

A verb of making (write, draft, prepare, … / scrivi, prepara, fammi, …) followed within a few words by a
report noun (report, rapporto, relazione, resoconto) that ends the request or is followed by what it is
about ("on", "about", "su", "di", …); or the message is just the noun ("Report!"). "Report the totals" and
"create a chart and report the totals" are not requests for a report.
"""

from __future__ import annotations

import re

_VERBS = (
    r"write|draft|prepare|create|make|generate|produce|compile|give\s+me|put\s+together|"
    r"scrivi|scrivimi|redigi|prepara|preparami|crea|creami|genera|generami|fammi|fai|compila|stendi|elabora"
)
_NOUNS = r"report|rapporto|relazione|resoconto"
_AFTER = (
    r"[\s]*(?:$|[.,;:!?)\n]|(?:on|about|of|for|with|that|from|in|summari[sz]ing|"
    r"su|sul|sulla|sui|sugli|sulle|di|del|della|dei|delle|per|con|che|in)\b)"
)
_REQUEST = re.compile(
    rf"\b(?:{_VERBS})\b(?:\s+[\w'’-]+){{0,4}}?\s+(?:{_NOUNS})(?={_AFTER})", re.IGNORECASE | re.UNICODE
)
_ALONE = re.compile(rf"^\W*(?:{_NOUNS})\W*$", re.IGNORECASE)


def is_report_request(text: str) -> bool:
    """True when `text` asks for a report of the conversation (see the module docstring)."""
    return bool(_REQUEST.search(text) or _ALONE.match(text))
