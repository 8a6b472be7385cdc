"""代表履职."""

from __future__ import annotations
