"""The region tree: district (区) → town (镇/街道) → village (村/社区) → grid (网格); grid workers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renda.core.models import ActiveModel


class Level(models.TextChoices):
    DISTRICT = "district", _("区县")
    TOWN = "town", _("镇街")
    VILLAGE = "village", _("村社区")
    GRID = "grid", _("网格")


class Kind(models.TextChoices):
    DISTRICT = "district", _("区")
    TOWN = "town", _("镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")


class Region(ActiveModel):
    """One node of the tree. ``town`` points at the town the node belongs to (itself for a town),
    so every scoped query is one indexed equality."""

    code = models.CharField(_("区划代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    town = models.ForeignKey(
        "self", verbose_name=_("所属镇街"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["town", "level", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="grid") & Q(code__regex=r"^[0-9]{15}$"))
                | (~Q(level="grid") & Q(code__regex=r"^[0-9]{12}$")),
                name="region_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        problem = region_code_problem(code=self.code, level=self.level, parent=self.parent)
        if problem:
            raise ValidationError({"code": problem})
        if self.kind not in LEVEL_KINDS.get(Level(self.level), set()):
            raise ValidationError({"kind": _("类型与层级不符")})


class WorkerKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class GridWorker(ActiveModel):
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=WorkerKind.choices)
    town = models.ForeignKey(Region, verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="+")
    grids = models.ManyToManyField(Region, verbose_name=_("负责网格"), related_name="grid_workers", blank=True)

    class Meta:
        verbose_name = _("网格员")
        verbose_name_plural = _("网格员")
        ordering = ["town_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


def region_code_problem(*, code: str, level: str, parent: Region | None) -> str | None:
    """Why ``code`` does not fit ``level`` under ``parent`` (Chinese), or None.

    Statistical division codes: PPCCDD TTT VVV — a district ends in 000000, a town in 000,
    a village's first 9 digits are its town's; a grid is its village's 12 digits + 3.
    """
    if level == Level.GRID:
        if len(code) != 15 or not code.isdigit():
            return str(_("网格编码应为15位数字（村社区代码+3位）"))
        if parent is None or parent.level != Level.VILLAGE:
            return str(_("网格必须属于一个村社区"))
        if code[:12] != parent.code:
            return str(_("网格编码的前12位应为所属村社区代码 {code}")).format(code=parent.code)
        if code[12:] == "000":
            return str(_("网格编码的末3位不能为000"))
        return None
    if len(code) != 12 or not code.isdigit():
        return str(_("区划代码应为12位数字"))
    if level == Level.DISTRICT:
        if code[6:] != "000000" or code[4:6] == "00":
            return str(_("区县代码应为6位有效数字加000000"))
    elif level == Level.TOWN:
        if code[9:] != "000" or code[6:9] == "000":
            return str(_("镇街代码应为9位有效数字加000"))
        if parent is not None and code[:6] != parent.code[:6]:
            return str(_("镇街代码的前6位应与所属区县代码一致"))
    elif level == Level.VILLAGE:
        if code[9:] == "000":
            return str(_("村社区代码的末3位不能为000"))
        if parent is None or parent.level != Level.TOWN:
            return str(_("村社区必须属于一个镇街"))
        if code[:9] != parent.code[:9]:
            return str(_("村社区代码的前9位应为所属镇街代码的前9位 {prefix}")).format(prefix=parent.code[:9])
    return None


LEVEL_KINDS = {
    Level.DISTRICT: {Kind.DISTRICT},
    Level.TOWN: {Kind.TOWN, Kind.STREET},
    Level.VILLAGE: {Kind.VILLAGE, Kind.COMMUNITY},
    Level.GRID: {Kind.GRID},
}
