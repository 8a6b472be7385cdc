from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from renda.core.crud import ActiveFilter, ResourceForm, set_queryset
from renda.core.roles import Role
from renda.people.forms import DeputyChoiceField
from renda.people.models import Deputy
from renda.people.selectors import deputies_visible_to
from renda.places.forms import RegionLabelField
from renda.places.models import GridWorker, Region
from renda.places.selectors import grid_workers_visible_to, towns_visible_to
from renda.units.models import Unit
from renda.units.selectors import units_visible_to


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次失败后，该账号在本机将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系管理员。"),
        "locked": _("登录失败次数过多，请 15 分钟后再试。"),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_locked", False):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少10位，不能全是数字，不能与用户名相近。"),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class UserForm(ResourceForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False,
                            help_text=_("填写后，交办、催办等通知同时发到该邮箱"))
    phone = forms.CharField(label=_("手机号"), max_length=11, required=False,
                            help_text=_("填写后，交办、催办等通知同时以短信发送"))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    town = RegionLabelField(label=_("所属镇街"), queryset=Region.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Unit.objects.none(), required=False, help_text=_("角色为承办单位时必填")
    )
    deputy = DeputyChoiceField(
        label=_("代表"), queryset=Deputy.objects.none(), required=False, help_text=_("角色为代表或主席团成员时必填")
    )
    grid_worker = forms.ModelChoiceField(
        label=_("网格员"), queryset=GridWorker.objects.none(), required=False, help_text=_("角色为网格员时必填")
    )
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, required=False, help_text=_("至少10位；请通知用户登录后修改。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        u = self.user
        set_queryset(self, "town", towns_visible_to(u).filter(is_active=True))
        set_queryset(self, "unit", units_visible_to(u).filter(is_active=True))
        set_queryset(self, "deputy", deputies_visible_to(u).filter(is_active=True))
        set_queryset(self, "grid_worker", grid_workers_visible_to(u).filter(is_active=True))
        if u is not None and u.role == Role.STAFF:
            allowed = {Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.PRESIDIUM}
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = [c for c in Role.choices if c[0] in allowed]
            self.fields["town"].initial = u.town_id
            self.fields["town"].disabled = True
        if self.instance is not None:
            self.fields["username"].disabled = True
            del self.fields["password"]
        else:
            self.fields["password"].required = True


class UserFilter(ActiveFilter):
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部")), *Role.choices])

    def apply(self, qs: Any) -> Any:
        qs = super().apply(qs)
        d = self.cleaned_data
        if d.get("role"):
            qs = qs.filter(role=d["role"])
        return qs
