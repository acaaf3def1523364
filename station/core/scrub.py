"""What of a fact's payload may stay after `station purge`: codes, ids, counts
and flags, never a person's data. Pure, so the purge (commands) and the audit
(store), which must agree on the purged form, share one definition."""

from __future__ import annotations

import re
from typing import Any

from station.core.evidence import Match

# Payload fields that carry codes, ids, counts and flags, never a person's data.
SAFE_FIELDS = frozenset({
    "bib", "role", "runner", "found_by", "items", "decided_offline", "reprint", "exception_id",
    "decision", "ground", "codes", "what", "voids", "copy", "printer", "layout", "job_id", "reprint_of",
    "keep_pickup", "escorts", "certificate_seen", "document", "original", "by_supervisor",
})
# Fields kept only when their value is a code (they are free text elsewhere).
CODE_FIELDS = frozenset({"reason", "change"})
MATCH_FIELDS = frozenset({"name", "birth_date"})  # an ID check's comparison results
_CODE = re.compile(r"[a-z0-9_]{1,64}")
_MATCHES = frozenset(m.value for m in Match)


def scrub(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with only the fields that carry no personal data."""
    return {key: value for key, value in payload.items() if _safe(key, value)}


def _safe(key: str, value: object) -> bool:
    if key in CODE_FIELDS:
        return isinstance(value, str) and _CODE.fullmatch(value) is not None
    if key in MATCH_FIELDS:
        return value in _MATCHES
    return key in SAFE_FIELDS
