"""The community security audit: the checklist an expert goes through, and the risk levels.

Data only: the audit feature (its forms, records and pages) is built on these items.
An item's `key` is stable and stored with the audit's answers; its title and guiding
question are translated when shown. Risk levels run from LOW to CRITICAL, in that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hromada.plugin_api import lazy_gettext as _l


@dataclass(frozen=True)
class ChecklistItem:
    """One point of the security audit: what to look at and the question that guides it."""

    key: str
    title: Any
    question: Any


CHECKLIST = (
    ChecklistItem(
        key="two_factor",
        title=_l("Accounts and two-factor authentication"),
        question=_l(
            "Which accounts does the community rely on (mail, messengers, shared drives, social "
            "networks), who can sign in to each, and is two-factor authentication turned on for "
            "every one of them, with recovery codes kept safely?"
        ),
    ),
    ChecklistItem(
        key="devices",
        title=_l("Devices and their encryption"),
        question=_l(
            "Are the phones and computers used for community work encrypted, locked with a "
            "strong passcode and kept up to date, and what happens to the data when a device is "
            "lost, seized or handed on?"
        ),
    ),
    ChecklistItem(
        key="messengers",
        title=_l("Messenger settings and disappearing messages"),
        question=_l(
            "Which messengers does the community use, are chats end-to-end encrypted, are "
            "disappearing messages on, and who can see the members' phone numbers and the list "
            "of participants?"
        ),
    ),
    ChecklistItem(
        key="vetting",
        title=_l("Vetting new members"),
        question=_l(
            "How does a new person come into the community: who vouches for them, what do they "
            "see before they are trusted, and who decides when they reach the closed channels?"
        ),
    ),
    ChecklistItem(
        key="personal_data",
        title=_l("Personal data the community keeps"),
        question=_l(
            "What personal data about members does the community keep (names, addresses, phone "
            "numbers, photos, lists of participants), where is it stored, who can reach it, and "
            "what of it is not needed at all?"
        ),
    ),
    ChecklistItem(
        key="backup_and_erase",
        title=_l("Backup and emergency-erase plan"),
        question=_l(
            "If a member is detained or a device is taken, who erases what, how quickly, and "
            "from which safe backup does the community restore its work afterwards?"
        ),
    ),
    ChecklistItem(
        key="meetings",
        title=_l("Safe meeting practice"),
        question=_l(
            "How are meetings announced and where do they take place: who learns the place and "
            "time and when, are phones left outside for sensitive talks, and are photos or lists "
            "of participants kept?"
        ),
    ),
)

LOW = "low"
MEDIUM = "medium"
HIGH = "high"
CRITICAL = "critical"

# From least to most severe; the labels are what people see.
RISK_LEVELS = (LOW, MEDIUM, HIGH, CRITICAL)
RISK_LEVEL_LABELS = {
    LOW: _l("Low risk"),
    MEDIUM: _l("Medium risk"),
    HIGH: _l("High risk"),
    CRITICAL: _l("Critical risk"),
}
# Ready for a WTForms SelectField: (value, label) pairs in order of severity.
RISK_LEVEL_CHOICES = tuple((level, RISK_LEVEL_LABELS[level]) for level in RISK_LEVELS)
