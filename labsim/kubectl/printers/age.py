"""Durations as kubectl prints them (``k8s.io/apimachinery/pkg/util/duration``)."""
from __future__ import annotations


def human_duration(seconds: float) -> str:
    """``duration.HumanDuration``: every AGE, LAST SEEN and ``(x3 over 40s)`` cell.

    5 -> "5s", 119 -> "119s", 121 -> "2m1s", 600 -> "10m", 10799 -> "179m", 11100 -> "3h5m",
    28800 -> "8h", 183600 -> "2d3h", 691200 -> "8d", 63158400 -> "2y1d"; -1.5 -> "0s", -2 -> "<invalid>".
    """
    s = int(seconds)  # Go: int(d.Seconds()) truncates toward zero, so -1.5 s is "0s"
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 60 * 2:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if rest == 0 else f"{hours // 24 // 365}y{rest}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(seconds: float) -> str:
    """``duration.ShortHumanDuration`` (not used by get tables): 59 -> "59s", 60 -> "1m", 3600 -> "1h"."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h"
    if s < 86400 * 365:
        return f"{s // 86400}d"
    return f"{s // 86400 // 365}y"
