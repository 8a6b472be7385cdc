"""Login, logout, password change, each role's home page and user management."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.accounts import dashboards, forms, policy, selectors, services, throttle
from renda.accounts.models import User
from renda.audit.security import log_event
from renda.audit.services import verify_chain
from renda.core.crud import Column, DetailField, Resource, add_error, style_form
from renda.core.errors import ApplicationError
from renda.core.home import render_cards
from renda.core.middleware import client_ip
from renda.core.roles import Role

HOME_URLS = {
    Role.PRESIDIUM: "accounts:home_presidium",
    Role.STAFF: "accounts:home_office",
    Role.DEPUTY: "accounts:home_deputy",
    Role.UNIT: "accounts:home_unit",
    Role.GRID_WORKER: "accounts:home_grid",
    Role.DISTRICT_VIEWER: "accounts:home_district",
    Role.ADMIN: "accounts:home_admin",
}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        log_event(kind="login", user=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(self.request, "login_locked", False):
            # Locked out: 429 with the seconds until the next try (the page says it in words).
            username = str(form.data.get("username") or "")
            response.status_code = 429
            response["Retry-After"] = str(throttle.retry_after(username, client_ip(self.request)))
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            log_event(kind="logout", user=request.user)
        return super().post(request, *args, **kwargs)


@login_required
def home(request: HttpRequest) -> HttpResponseBase:
    return redirect(HOME_URLS[Role(request.user.role)])  # type: ignore[union-attr]


def _role_home(role: str, template: str) -> Any:
    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        if user.role != role:
            log_event(kind="access_denied", user=user, path=request.path, detail=f"home of {role}")
            raise PermissionDenied
        ctx: dict[str, Any] = {"role": role}
        if user.town_id is not None:
            ctx.update(dashboards.town_summary(user))
        if role in {Role.STAFF, Role.PRESIDIUM, Role.ADMIN}:
            ctx["recent"] = dashboards.recent_changes(user)
        if role in {Role.DISTRICT_VIEWER, Role.ADMIN}:
            ctx["towns"] = dashboards.towns_overview(user)
        if role == Role.ADMIN:
            ctx["chain_problem"] = verify_chain()
        # The apps' cards and work queues for this role (each app's home.py; renda.core.home).
        ctx["cards"] = render_cards(request, user, ctx)
        return render(request, template, ctx)

    return view


home_presidium = _role_home(Role.PRESIDIUM, "accounts/home_presidium.html")
home_office = _role_home(Role.STAFF, "accounts/home_office.html")
home_deputy = _role_home(Role.DEPUTY, "accounts/home_deputy.html")
home_unit = _role_home(Role.UNIT, "accounts/home_unit.html")
home_grid = _role_home(Role.GRID_WORKER, "accounts/home_grid.html")
home_district = _role_home(Role.DISTRICT_VIEWER, "accounts/home_district.html")
home_admin = _role_home(Role.ADMIN, "accounts/home_admin.html")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = style_form(forms.PasswordChangeForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_change_password(actor=request.user,  # type: ignore[arg-type]
                                                 old_password=form.cleaned_data["old_password"],
                                                 new_password=form.cleaned_data["new_password1"])
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改"))
            return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _user_initial(user: Any, obj: User | None) -> dict[str, Any]:
    if obj is None:
        return {"town": user.town_id} if user.town_id else {}
    return {"username": obj.username, "display_name": obj.display_name, "email": obj.email, "phone": obj.phone,
            "role": obj.role, "town": obj.town_id,
            "unit": obj.unit_id, "deputy": obj.deputy_id, "grid_worker": obj.grid_worker_id}


def _user_create(actor: User, d: dict[str, Any]) -> User:
    return services.user_create(actor=actor, username=d["username"], password=d["password"], role=d["role"],
                                display_name=d["display_name"], town=d["town"] or actor.town, unit=d["unit"],
                                deputy=d["deputy"], grid_worker=d["grid_worker"], email=d["email"],
                                phone=d["phone"])


def _user_update(actor: User, obj: User, d: dict[str, Any]) -> tuple[User, bool]:
    return services.user_update(actor=actor, user_id=obj.pk, display_name=d["display_name"], role=d["role"],
                                town=d["town"], unit=d["unit"], deputy=d["deputy"], grid_worker=d["grid_worker"],
                                email=d["email"], phone=d["phone"])


users = Resource(
    name="users", model=User, label=gettext_lazy("用户"), label_plural=gettext_lazy("用户"),
    can=policy.can, require=policy.require, selector=selectors.users_visible_to,
    columns=[
        Column("username", gettext_lazy("用户名"), lambda o: o.username, sort="username", link=True),
        Column("display_name", gettext_lazy("姓名"), lambda o: o.display_name, sort="display_name"),
        Column("role", gettext_lazy("角色"), lambda o: o.get_role_display(), sort="role"),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name if o.town else gettext_lazy("全区"),
               district_only=True),
        Column("link", gettext_lazy("关联"), lambda o: o.unit or o.deputy or o.grid_worker or ""),
        Column("last_login", gettext_lazy("最近登录"),
               lambda o: o.last_login.strftime("%Y-%m-%d %H:%M") if o.last_login else "", sort="last_login",
               nowrap=True),
        Column("status", gettext_lazy("状态"), lambda o: _("启用") if o.is_active else _("已停用"), nowrap=True),
    ],
    search_fields=("username", "display_name"), filter_form=forms.UserFilter, default_sort="username",
    form_class=forms.UserForm, initial=_user_initial, create=_user_create, update=_user_update,
    deactivate=lambda a, o, r: services.user_deactivate(actor=a, user_id=o.pk, reason=r),
    activate=lambda a, o: services.user_activate(actor=a, user_id=o.pk),
    detail_fields=[
        DetailField(gettext_lazy("用户名"), lambda o: o.username),
        DetailField(gettext_lazy("姓名"), lambda o: o.display_name),
        DetailField(gettext_lazy("角色"), lambda o: o.get_role_display()),
        DetailField(gettext_lazy("电子邮箱"), lambda o: o.email),
        DetailField(gettext_lazy("手机号"), lambda o: o.phone_masked),
        DetailField(gettext_lazy("所属镇街"), lambda o: o.town.name if o.town else _("全区")),
        DetailField(gettext_lazy("关联"), lambda o: o.unit or o.deputy or o.grid_worker or ""),
        DetailField(gettext_lazy("最近登录"), lambda o: o.last_login),
    ],
    export_name="用户",
)
