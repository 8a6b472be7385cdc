"""人代会."""

from __future__ import annotations
