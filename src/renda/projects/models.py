"""民生实事."""

from __future__ import annotations
