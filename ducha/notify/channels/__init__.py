"""Delivery channels, one module each, behind one small interface (STYLE §7).

Every channel module has `deliver(notifications) -> list[Notification]`: it takes notifications
(stored or about to be) and returns those it actually delivered. Delivering must be safe to
repeat: a notification is delivered at most once per channel, whoever asks and how often.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module

from ducha.notify.models import Notification

# The bell (rows in the database) first: mail goes out only for what was stored.
CHANNELS = ("inapp", "email")


def deliver(channel: str, notifications: Sequence[Notification]) -> list[Notification]:
    if channel not in CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    module = import_module(f"{__name__}.{channel}")
    return module.deliver(notifications)
