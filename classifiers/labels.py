"""The label set, in the order every score vector and report uses."""

from __future__ import annotations

from typing import Final

__all__ = ["FLAGGABLE_LABELS", "LABELS", "SUPPORT"]

SUPPORT: Final = "support"
#: Every message gets exactly one of these.
LABELS: Final = ("support", "spam", "harassment", "abuse_report")
#: Labels that can raise a flag; a support request is never flagged.
FLAGGABLE_LABELS: Final = ("spam", "harassment", "abuse_report")
