"""联系群众."""

from __future__ import annotations
