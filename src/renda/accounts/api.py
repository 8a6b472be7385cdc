"""API for the current user (/api/me) and their own API tokens (/api/tokens)."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from renda.accounts import services
from renda.accounts.models import ApiToken, User
from renda.accounts.services import user_for_token
from renda.core.api import ERRORS, CsrfSessionAuth, InSchema, Pagination, RefOut, RegionRefOut, actor, visible
from renda.core.roles import Role


class TokenAuth(HttpBearer):
    """``Authorization: Bearer rd_…`` — no cookie is involved, so no CSRF check is needed."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user

me_router: Router = Router(tags=["当前用户"])
tokens_router: Router = Router(tags=["API 令牌"])


class MeOut(Schema):
    id: int = Field(description="用户 ID")
    username: str = Field(description="用户名")
    display_name: str = Field(description="姓名")
    role: str = Field(description="角色：presidium、staff、deputy、unit、grid_worker、district_viewer、admin")
    role_label: str = Field(description="角色（中文）")
    town: RegionRefOut | None = Field(description="所属镇街（区级用户为空，可查看全部镇街）")
    unit: RefOut | None = Field(description="所属承办单位（承办单位用户）")
    deputy: RefOut | None = Field(description="对应的代表（代表、主席团成员用户）")
    grid_worker: RefOut | None = Field(description="对应的网格员（网格员用户）")
    home: str = Field(description="该角色工作台页面的地址")

    @staticmethod
    def resolve_role_label(obj: User) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_home(obj: User) -> str:
        from renda.accounts.views import HOME_URLS

        return reverse(HOME_URLS[Role(obj.role)])


@me_router.get("", response={200: MeOut, **ERRORS}, summary="当前用户")
def me(request: HttpRequest) -> User:
    user = actor(request)
    return User.objects.select_related("town", "unit", "deputy", "grid_worker").get(pk=user.pk)


class TokenOut(Schema):
    id: int = Field(description="令牌 ID")
    name: str = Field(description="名称（用途）")
    prefix: str = Field(description="令牌前缀（rd_ 之后的6个字符，用于辨认）")
    created_at: dt.datetime = Field(description="创建时间")
    last_used_at: dt.datetime | None = Field(description="最近使用时间")
    revoked_at: dt.datetime | None = Field(description="吊销时间；为空表示有效")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="令牌原文（rd_…），只在创建时返回这一次，请妥善保存")


class TokenIn(InSchema):
    name: str = Field(min_length=1, max_length=100, description="名称（用途），如 「区平台对接」")


def _own_tokens(user: User) -> QuerySet[ApiToken]:
    """Everyone sees and manages only their own tokens here."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


@tokens_router.get("", response={200: list[TokenOut], **ERRORS}, summary="我的 API 令牌")
@paginate(Pagination)
def list_tokens(request: HttpRequest) -> Any:
    return _own_tokens(actor(request))


@tokens_router.post("", response={201: TokenCreatedOut, **ERRORS}, auth=[CsrfSessionAuth()],
                    summary="创建 API 令牌（仅限登录会话；令牌原文只返回一次）")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    user = actor(request)
    token, raw = services.api_token_create(actor=user, user=user, name=payload.name)
    out = TokenOut.from_orm(token).model_dump()
    return Status(201, out | {"token": raw})


@tokens_router.post("/{int:token_id}/revoke", response={200: TokenOut, **ERRORS}, summary="吊销 API 令牌")
def revoke_token(request: HttpRequest, token_id: int) -> ApiToken:
    user = actor(request)
    token = visible(request, _own_tokens(user), token_id)
    return services.api_token_revoke(actor=user, token_id=token.pk)


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [("/me", me_router), ("/tokens", tokens_router)]
