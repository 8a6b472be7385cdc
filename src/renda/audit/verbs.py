"""Audit verbs in words (Chinese by default), for history timelines."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Promise] = {
    "region.create": _("新增区划"),
    "region.update": _("修改区划"),
    "region.deactivate": _("停用区划"),
    "region.activate": _("启用区划"),
    "grid_worker.create": _("新增网格员"),
    "grid_worker.update": _("修改网格员信息"),
    "grid_worker.deactivate": _("停用网格员"),
    "grid_worker.activate": _("启用网格员"),
    "unit.create": _("新增承办单位"),
    "unit.update": _("修改承办单位"),
    "unit.deactivate": _("停用承办单位"),
    "unit.activate": _("启用承办单位"),
    "deputy.create": _("新增代表"),
    "deputy.update": _("修改代表信息"),
    "deputy.deactivate": _("停用代表"),
    "deputy.activate": _("启用代表"),
    "contact_assignment.create": _("安排主席团成员联系代表"),
    "contact_assignment.activate": _("恢复联系代表安排"),
    "contact_assignment.deactivate": _("停用联系代表安排"),
    "user.create": _("新增用户"),
    "user.update": _("修改用户"),
    "user.deactivate": _("停用用户"),
    "user.activate": _("启用用户"),
    "user.password_change": _("修改密码"),
    "user.password_reset": _("重置密码"),
    "api_token.create": _("创建 API 令牌"),
    "api_token.revoke": _("吊销 API 令牌"),
}


def register(verb: str, label: Promise) -> None:
    """Later apps add their verbs here (from their ``apps.ready`` or module import)."""
    VERBS[verb] = label


def describe(verb: str) -> str:
    label = VERBS.get(verb)
    return str(label) if label is not None else verb
