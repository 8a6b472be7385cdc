"""API for suggestions (意见建议) — thin over the same selectors, policy and services as the pages.

Reads come from ``selectors.suggestions_visible_to`` (an item the user may not see is a 404);
each workflow verb is one POST endpoint that calls one service function, passing the client's
last seen ``version`` so that a stale client gets a 409 ``conflict``. The submitter's name and
phone are always shown masked, except in the answer to ``POST /{id}/reveal`` by a role that must
contact them (with a reason, audited); the 交办单 and 答复函 are Word downloads.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import field_validator

from renda.accounts.models import User
from renda.core import policy as base_policy
from renda.core.api import (
    ERRORS,
    ErrorOut,
    InSchema,
    ListFilters,
    Pagination,
    RefOut,
    RegionRefOut,
    RevealIn,
    TimelineOut,
    actor,
    common_filters,
    require_list,
    visible,
    visible_ref,
    visible_refs,
)
from renda.core.attachments import attachment_response
from renda.core.documents import docx_response
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.people.models import Deputy
from renda.people.selectors import presidium_members_visible_to
from renda.places.models import Level, Region
from renda.places.selectors import regions_by_id, town_ref
from renda.suggestions import policy, selectors, services
from renda.suggestions.models import (
    HANDLING_STATES,
    Attachment,
    Extension,
    Kind,
    ReplyClass,
    Result,
    Source,
    Suggestion,
    SuggestionCategory,
)
from renda.suggestions.workflow import HANDLING, Action, State
from renda.units.selectors import units_visible_to

suggestions_router: Router = Router(tags=["意见建议"])
categories_router: Router = Router(tags=["意见建议类别"])

#: The errors a workflow verb may give: besides the usual ones, 409 for a stale ``version``
#: (``conflict``) or an action the item's state does not allow (``illegal_transition``).
VERB_ERRORS: dict[int, Any] = {**ERRORS, 409: ErrorOut}

_ACTION_HELP = ("assign 交办、accept 签收、return 退回、co_opinion 协办意见、reply 答复、evaluate 测评、close 办结、"
                "rehandle 重新办理、request_extension 申请延期、approve_extension 同意延期、"
                "refuse_extension 不同意延期、decline 不予受理、withdraw 撤回、merge 合并、remind 催办、"
                "supervise 重点督办、close_dissatisfied 不满意办结、to_petition 转为信访件")


# -- output ------------------------------------------------------------------------------------


class SuggestionCodeRefOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号")


class SimilarOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号")
    title: str = Field(description="标题")
    state: str = Field(description="状态")
    score: float = Field(description="相似度 0–1（标题或全文的字符二元组 Jaccard 指数，取较大者）")


class RegisteredOut(Schema):
    id: int = Field(description="ID；完整内容见 Location 头所指的 GET /api/suggestions/{id}")
    code: str = Field(description="编号，如 YJ2023-001")
    state: str = Field(description="状态：registered 已登记")
    version: int = Field(description="版本号；办理操作须带上")
    tracking_code: str | None = Field(description="查询码（仅登记人和有权查看个人信息者可见）")
    similar: list[SimilarOut] = Field(
        description="相似的在办事项：本镇街最近登记的 200 件在办事项中与本件最相似的至多 5 件"
                    "（相似度 ≥ 0.25），供人大办考虑合并")


class CategoryOut(Schema):
    id: int = Field(description="ID")
    name: str = Field(description="类别名称")
    town: RegionRefOut = Field(description="所属镇街")
    is_active: bool = Field(description="是否启用")


class SuggestionOut(Schema):
    id: int = Field(description="ID")
    code: str = Field(description="编号，如 YJ2023-001")
    kind: str = Field(description="类型：public 群众意见建议、deputy 代表建议")
    kind_label: str = Field(description="类型（中文）")
    source: str = Field(description="来源代码（可为空）")
    source_label: str = Field(description="来源（中文）")
    state: str = Field(description="状态：registered 已登记、assigned 已交办、accepted 办理中、"
                                   "replied 已答复、evaluated 已测评、closed 已办结、declined 不予受理、"
                                   "withdrawn 已撤回、merged 已合并")
    state_label: str = Field(description="状态（中文）")
    version: int = Field(description="版本号；办理操作须带上客户端最后看到的版本号，过期则返回 409")
    title: str = Field(description="标题")
    town: RegionRefOut = Field(description="所属镇街")
    village: RegionRefOut | None = Field(description="所属村社区")
    grid: RegionRefOut | None = Field(description="所属网格")
    category: RefOut | None = Field(description="类别")
    submitter_name: str = Field(description="提出人（脱敏显示；匿名或代表建议为空）")
    anonymous: bool = Field(description="是否匿名")
    no_unit_contact: bool = Field(description="提出人不愿承办单位直接联系（承办单位不能查看其联系方式）")
    lead_deputy: RefOut | None = Field(description="领衔代表（代表建议）")
    lead_unit: RefOut | None = Field(description="主办单位")
    registered_at: dt.date = Field(description="登记日期")
    assigned_at: dt.date | None = Field(description="交办日期")
    deadline: dt.date | None = Field(description="办理期限（含已批准的延期）")
    closed_at: dt.date | None = Field(description="办结日期")
    overdue: bool = Field(description="是否超期（办理中且已过办理期限）")
    key_supervision: bool = Field(description="是否重点督办")
    supervisor: RefOut | None = Field(description="督办领导（主席团成员）")
    rehandle_count: int = Field(description="重新办理次数")

    @staticmethod
    def resolve_kind_label(obj: Suggestion) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_source_label(obj: Suggestion) -> str:
        return str(obj.get_source_display()) if obj.source else ""

    @staticmethod
    def resolve_state_label(obj: Suggestion) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_submitter_name(obj: Suggestion) -> str:
        return obj.submitter_name_masked

    @staticmethod
    def resolve_overdue(obj: Suggestion) -> bool:
        return _is_overdue(obj)


class CoUnitOut(Schema):
    unit: RefOut = Field(description="协办单位")
    opinion: str = Field(description="协办意见（未提出为空）")
    opinion_at: dt.date | None = Field(description="提出意见日期")


class ReplyOut(Schema):
    id: int = Field(description="ID")
    reply_class: str = Field(description="答复类别：A 已解决或基本解决、B 正在解决、C 列入计划逐步解决、"
                                         "D 暂不能解决或留作参考")
    text: str = Field(description="答复内容")
    replied_at: dt.date = Field(description="答复日期")
    unit: RefOut = Field(description="答复单位")


class EvaluationOut(Schema):
    id: int = Field(description="ID")
    result: str = Field(description="测评结果：satisfied 满意、basically_satisfied 基本满意、dissatisfied 不满意")
    result_label: str = Field(description="测评结果（中文）")
    evaluated_at: dt.date = Field(description="测评日期")
    comment: str = Field(description="意见")

    @staticmethod
    def resolve_result_label(obj: Any) -> str:
        return str(obj.get_result_display())


class ExtensionOut(Schema):
    id: int = Field(description="ID（审批时使用）")
    requested_at: dt.date = Field(description="申请日期")
    old_deadline: dt.date = Field(description="原期限")
    new_deadline: dt.date = Field(description="申请延至")
    reason: str = Field(description="理由")
    status: str = Field(description="状态：requested 待审批、approved 已同意、refused 未同意")
    decided_at: dt.date | None = Field(description="审批日期")
    decision_comment: str = Field(description="审批意见")


class SuggestionTransitionOut(TimelineOut):
    from_state: str = Field(description="原状态（登记时为空）")
    on: dt.date = Field(description="业务日期")
    at: dt.datetime = Field(description="记录时间")


class ReminderOut(Schema):
    kind: str = Field(description="类型：manual 人工催办、due_soon 即将到期提醒、overdue 超期催办")
    sent_on: dt.date = Field(description="日期")
    note: str = Field(description="内容")


class AttachmentOut(Schema):
    id: int = Field(description="ID")
    reply_id: int | None = Field(description="所属答复 ID（事项本身的附件为 null）")
    name: str = Field(description="文件名（上传时的名称）")
    content_type: str = Field(description="文件类型：image/png、image/jpeg、application/pdf（按内容识别）")
    size: int = Field(description="大小（字节）")
    sha256: str = Field(description="SHA-256 校验值")
    uploaded_at: dt.datetime = Field(description="上传时间")
    url: str = Field(description="下载地址（需登录且可查看该事项）")

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return reverse("suggestions:attachment", args=[obj.suggestion_id, obj.pk])


class SuggestionDetailOut(SuggestionOut):
    content: str = Field(description="内容")
    submitter_phone: str = Field(description="联系电话（脱敏显示）")
    tracking_code: str | None = Field(description="群众查询码（仅登记人及本镇街人大办、主席团可见，否则为 null）")
    co_deputies: list[RefOut] = Field(description="附议代表")
    co_units: list[CoUnitOut] = Field(description="协办单位及其意见")
    original_deadline: dt.date | None = Field(description="原办理期限")
    accepted_at: dt.date | None = Field(description="签收日期")
    key_supervision_since: dt.date | None = Field(description="列入重点督办日期")
    merged_into: SuggestionCodeRefOut | None = Field(description="合并至（已合并时）")
    replies: list[ReplyOut] = Field(description="答复（按时间先后）")
    evaluations: list[EvaluationOut] = Field(description="满意度测评（按时间先后）")
    extensions: list[ExtensionOut] = Field(description="延期申请（按时间先后）")
    reminders: list[ReminderOut] = Field(description="催办记录")
    attachments: list[AttachmentOut] = Field(description="附件（事项本身的及各答复的）")
    timeline: list[SuggestionTransitionOut] = Field(description="办理记录（时间线）")
    allowed_actions: list[str] = Field(description=f"当前用户此刻可执行的操作：{_ACTION_HELP}")
    created_at: dt.datetime = Field(description="创建时间")
    updated_at: dt.datetime = Field(description="更新时间")

    @staticmethod
    def resolve_submitter_phone(obj: Suggestion) -> str:
        return obj.submitter_phone_masked

    @staticmethod
    def resolve_tracking_code(obj: Suggestion) -> str | None:
        return getattr(obj, "api_tracking_code", None)

    @staticmethod
    def resolve_co_deputies(obj: Suggestion) -> list[Any]:
        return list(obj.co_deputies.order_by("name", "id"))

    @staticmethod
    def resolve_co_units(obj: Suggestion) -> list[Any]:
        return list(obj.co_unit_links.select_related("unit").order_by("id"))

    @staticmethod
    def resolve_replies(obj: Suggestion) -> list[Any]:
        return list(obj.replies.select_related("unit"))

    @staticmethod
    def resolve_evaluations(obj: Suggestion) -> list[Any]:
        return list(obj.evaluations.all())

    @staticmethod
    def resolve_extensions(obj: Suggestion) -> list[Any]:
        return list(obj.extensions.all())

    @staticmethod
    def resolve_reminders(obj: Suggestion) -> list[Any]:
        return list(obj.reminders.all())

    @staticmethod
    def resolve_attachments(obj: Suggestion) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_timeline(obj: Suggestion) -> list[Any]:
        return list(obj.transitions.all())

    @staticmethod
    def resolve_allowed_actions(obj: Suggestion) -> list[str]:
        return list(getattr(obj, "api_allowed_actions", []))


def _is_overdue(s: Suggestion, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return s.state in HANDLING and s.deadline is not None and s.deadline < today


# -- input -----------------------------------------------------------------------------------------


_SORTS = {
    "registered_at": ("registered_at", "id"),
    "-registered_at": ("-registered_at", "-id"),
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "code": ("code",),
    "-code": ("-code",),
}


class SuggestionFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词（匹配编号、标题、内容；一两个汉字也可）")
    state: State | None = Field(None, description="状态")
    kind: Kind | None = Field(None, description="类型：public 群众意见建议、deputy 代表建议")
    town_id: int | None = Field(None, description="所属镇街 ID（区级用户使用）")
    lead_unit_id: int | None = Field(None, description="主办单位 ID")
    category_id: int | None = Field(None, description="类别 ID")
    village_id: int | None = Field(None, description="所属村社区 ID")
    grid_id: int | None = Field(None, description="所属网格 ID")
    key_supervision: bool | None = Field(None, description="是否重点督办")
    overdue: bool | None = Field(None, description="是否超期（办理中且已过期限）")
    registered_from: dt.date | None = Field(None, description="登记日期起（含，YYYY-MM-DD）")
    registered_to: dt.date | None = Field(None, description="登记日期止（含，YYYY-MM-DD）")
    sort: str | None = Field(None, description="排序：registered_at、-registered_at（默认）、deadline、-deadline、"
                                               "code、-code", json_schema_extra={"enum": [*_SORTS, None]})

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str | None) -> str | None:
        if value is not None and value not in _SORTS:
            raise ValueError(_("排序方式不正确"))
        return value


def _not_future(value: dt.date | None) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise ValueError(_("日期不能晚于今天"))
    return value


class DatedIn(InSchema):
    on: dt.date | None = Field(None, description="业务日期（YYYY-MM-DD，默认今天，不能晚于今天）")

    @field_validator("on")
    @classmethod
    def _on_not_future(cls, value: dt.date | None) -> dt.date | None:
        return _not_future(value)


class SuggestionVerbIn(DatedIn):
    version: int = Field(ge=0, description="客户端最后看到的版本号（详情中的 version）；已被他人处理则返回 409")


class SuggestionRegisterIn(DatedIn):
    kind: Kind = Field(description="类型：public 群众意见建议、deputy 代表建议")
    title: str = Field(min_length=1, max_length=200, description="标题")
    content: str = Field("", max_length=10000, description="内容")
    source: Source | None = Field(None, description="来源：deputy_collected 代表收集、grid_reported 网格员上报、"
                                                    "letter 来信、visit 来访、phone 电话、online 网上、"
                                                    "contact_station 联络站、session 会议期间、recess 闭会期间")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")
    village_id: int | None = Field(None, description="所属村社区 ID")
    grid_id: int | None = Field(None, description="所属网格 ID（不填村社区时按网格带出）")
    category_id: int | None = Field(None, description="类别 ID（本镇街启用的类别）")
    submitter_name: str = Field("", max_length=50, description="提出人姓名（群众意见建议，非匿名时必填；加密保存）")
    submitter_phone: str = Field("", max_length=20, description="提出人联系电话（加密保存）")
    anonymous: bool = Field(False, description="是否匿名（仅群众意见建议）")
    no_unit_contact: bool = Field(False, description="提出人不愿承办单位直接联系（仅群众意见建议）")
    lead_deputy_id: int | None = Field(None, description="领衔代表 ID（代表建议必填；代表本人登记时默认为本人）")
    co_deputy_ids: list[int] = Field(default_factory=list, description="附议代表 ID 列表")
    code: str | None = Field(None, max_length=30, description="编号（不填则自动生成，如 YJ2026-001）")
    comment: str = Field("", max_length=500, description="登记说明")


class AssignIn(SuggestionVerbIn):
    lead_unit_id: int = Field(description="主办单位 ID")
    co_unit_ids: list[int] = Field(default_factory=list, description="协办单位 ID 列表")
    deadline: dt.date | None = Field(None, description="办理期限（不填按本镇街规则：代表建议3个月，群众意见30天）")
    comment: str = Field("", max_length=500, description="交办说明")


class SuggestionCommentIn(SuggestionVerbIn):
    comment: str = Field("", max_length=500, description="说明（可选）")


class ReasonRequiredIn(SuggestionVerbIn):
    reason: str = Field(min_length=1, max_length=500, description="理由（必填）")


class WithdrawIn(SuggestionVerbIn):
    reason: str = Field("", max_length=500, description="撤回理由（可选）")


class CoOpinionIn(SuggestionVerbIn):
    opinion: str = Field(min_length=1, max_length=5000, description="协办意见")


class ReplyIn(SuggestionVerbIn):
    reply_class: ReplyClass = Field(description="答复类别：A 已解决或基本解决、B 正在解决、C 列入计划逐步解决、"
                                                "D 因条件限制暂不能解决或留作参考")
    text: str = Field(min_length=1, max_length=10000, description="答复内容")


class EvaluateIn(SuggestionVerbIn):
    result: Result = Field(description="测评结果：satisfied 满意、basically_satisfied 基本满意、dissatisfied 不满意"
                                       "（不满意将退回重新办理）")
    comment: str = Field("", max_length=500, description="意见（可选）")


class ExtensionIn(SuggestionVerbIn):
    reason: str = Field(min_length=1, max_length=500, description="延期理由")
    days: int | None = Field(None, ge=1, le=366, description="延期天数（与 new_deadline 二选一）")
    new_deadline: dt.date | None = Field(None, description="申请延至日期（与 days 二选一）")


class DecideExtensionIn(SuggestionVerbIn):
    approve: bool = Field(description="true 同意延期，false 不同意")
    comment: str = Field("", max_length=500, description="审批意见（可选）")


class MergeIn(SuggestionVerbIn):
    into_id: int = Field(description="合并至的事项 ID（同一镇街、未办结）")
    comment: str = Field("", max_length=500, description="说明（可选）")


class RemindIn(SuggestionVerbIn):
    note: str = Field("", max_length=500, description="催办内容（可选）")


class KeySupervisionIn(SuggestionVerbIn):
    enabled: bool = Field(True, description="true 列入重点督办，false 取消")
    supervisor_id: int | None = Field(None, description="督办领导（本镇街主席团成员）ID；主席团成员操作时默认为本人")
    comment: str = Field("", max_length=500, description="说明（可选）")


class CategoryFilters(ListFilters):
    q: str | None = Field(None, max_length=100, description="关键词（模糊匹配类别名称）")
    town_id: int | None = Field(None, description="所属镇街 ID")


class CategoryIn(InSchema):
    name: str = Field(min_length=1, max_length=50, description="类别名称（同一镇街内不重复）")
    town_id: int | None = Field(None, description="所属镇街 ID；不填为本人所属镇街")


# -- helpers -----------------------------------------------------------------------------------------


def _items(request: HttpRequest) -> QuerySet[Suggestion]:
    return selectors.suggestions_visible_to(actor(request))


def _open(request: HttpRequest, suggestion_id: int, action: str) -> Suggestion:
    """The item if the user may see it (else 404) and take ``action`` on it (else 403); the state
    and the version are checked by the service itself."""
    s = visible(request, _items(request), suggestion_id)
    policy.require(actor(request), action, s)
    return s


def _detail(user: User, s: Suggestion) -> Suggestion:
    """``s`` with what only this user may see attached: the allowed actions, the tracking code."""
    s.api_allowed_actions = [a.value for a in policy.available_actions(user, s)]  # type: ignore[attr-defined]
    s.api_tracking_code = _tracking_code(user, s)  # type: ignore[attr-defined]
    return s


def _tracking_code(user: User, s: Suggestion) -> str | None:
    """Shown to whoever may reveal personal data and to the one who registered the item."""
    show = policy.can(user, "tracking_code", s) or (s.created_by_id is not None and s.created_by_id == user.pk)
    return s.tracking_code if show else None


def _after(request: HttpRequest, suggestion_id: int) -> Suggestion:
    """The item after a verb, as this user now sees it. A unit that has just returned an item no
    longer sees it, but still gets its answer (with no further actions)."""
    user = actor(request)
    s = _items(request).filter(pk=suggestion_id).first()
    if s is None:
        s = selectors.suggestions_visible_to(None).get(pk=suggestion_id)
    return _detail(user, s)


@contextmanager
def _verb() -> Iterator[None]:
    """A stale version is a 409 ``conflict`` (like every other conflict of the API)."""
    try:
        yield
    except Conflict as exc:
        if exc.code == "stale":
            raise Conflict(exc.message, code="conflict",
                           fields={"version": [_("已过期，请重新获取后再操作")]}) from exc
        raise


def _register_places(user: User, town_id: int | None, village_id: int | None,
                     grid_id: int | None) -> tuple[Region, Region | None, Region | None]:
    """The town an item is registered in, and its village and grid, read together in one query
    (none when the town is the user's own, already loaded with the user by token authentication,
    and no village or grid is named).

    The town is the user's own by default; another one only for a district-wide user; one outside
    the user's scope is a 404. A village or grid that is not one of the town's is a 404 naming its
    field (checked in that order: town, village, grid)."""
    wanted = town_id if town_id is not None else user.town_id
    if wanted is None:
        raise InvalidInput(_("请选择所属镇街"), fields={"town_id": _("必填")})
    own = user.town if wanted == user.town_id and User.town.is_cached(user) else None
    ids = {pk for pk in (village_id, grid_id) if pk is not None}
    if own is None:
        ids.add(wanted)
    found = regions_by_id(ids)
    town = own or found.get(wanted)
    if town is None or town.level != Level.TOWN or not base_policy.in_town(user, town.pk):
        raise NotFound(fields={"town_id": _("不存在或无权查看：{id}").format(id=wanted)})

    def place(pk: int | None, level: str, field: str) -> Region | None:
        if pk is None:
            return None
        region = found.get(pk)
        if region is None or region.level != level or region.town_id != town.pk:
            raise NotFound(fields={field: _("不存在或无权查看：{id}").format(id=pk)})
        return region

    return town, place(village_id, Level.VILLAGE, "village_id"), place(grid_id, Level.GRID, "grid_id")


def _in_town(qs: QuerySet[Any], town: Region, pk: int | None, field: str) -> Any:
    return visible_ref(qs.filter(town_id=town.pk), pk, field) if pk is not None else None


def _categories(user: User) -> QuerySet[SuggestionCategory]:
    return selectors.categories_visible_to(user)


# -- suggestions: reads ------------------------------------------------------------------------------


@suggestions_router.get("", response={200: list[SuggestionOut], **ERRORS}, summary="意见建议列表")
@paginate(Pagination)
def list_suggestions(request: HttpRequest, filters: Query[SuggestionFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = selectors.search(_items(request), filters.q)
    exact = {"state": filters.state, "kind": filters.kind, "town_id": filters.town_id,
             "lead_unit_id": filters.lead_unit_id, "category_id": filters.category_id,
             "village_id": filters.village_id, "grid_id": filters.grid_id,
             "key_supervision": filters.key_supervision, "registered_at__gte": filters.registered_from,
             "registered_at__lte": filters.registered_to}
    qs = qs.filter(**{k: v for k, v in exact.items() if v is not None})
    if filters.overdue is not None:
        overdue = Q(state__in=HANDLING_STATES, deadline__lt=timezone.localdate())
        qs = qs.filter(overdue) if filters.overdue else qs.exclude(overdue)
    return qs.order_by(*_SORTS[filters.sort or "-registered_at"])


@suggestions_router.get("/{int:suggestion_id}", response={200: SuggestionDetailOut, **ERRORS},
                        summary="意见建议详情")
def get_suggestion(request: HttpRequest, suggestion_id: int) -> Suggestion:
    s = _open(request, suggestion_id, "view")
    return _detail(actor(request), s)


@suggestions_router.post("", response={201: RegisteredOut, **VERB_ERRORS}, summary="登记意见建议",
                         description="登记成功返回 201：编号、状态、版本号、查询码和相似的在办事项；"
                                     "完整内容用 Location 头所指的地址获取。")
def register_suggestion(request: HttpRequest, payload: SuggestionRegisterIn,
                        response: HttpResponse) -> Status[dict[str, Any]]:
    user = actor(request)
    policy.require(user, Action.REGISTER)
    town, village, grid = _register_places(user, payload.town_id, payload.village_id, payload.grid_id)
    lead_deputy_id = payload.lead_deputy_id
    if lead_deputy_id is None and payload.kind == Kind.DEPUTY and user.deputy_id:
        lead_deputy_id = user.deputy_id
    deputies = Deputy.objects.filter(is_active=True) if lead_deputy_id is not None or payload.co_deputy_ids else None
    s = services.suggestion_register(
        actor=user, town=town, kind=payload.kind, title=payload.title, content=payload.content,
        source=payload.source or "",
        village=village, grid=grid,
        category=_in_town(SuggestionCategory.objects.all(), town, payload.category_id, "category_id"),
        submitter_name=payload.submitter_name, submitter_phone=payload.submitter_phone,
        anonymous=payload.anonymous, no_unit_contact=payload.no_unit_contact,
        lead_deputy=_in_town(deputies, town, lead_deputy_id, "lead_deputy_id") if deputies is not None else None,
        co_deputies=visible_refs(deputies.filter(town_id=town.pk), payload.co_deputy_ids, "co_deputy_ids")
        if deputies is not None else [],
        code=payload.code, on=payload.on, comment=payload.comment,
    )
    matches = selectors.similar_open_items(user, title=s.title, content=s.content, exclude_id=s.pk)
    response["Location"] = f"/api/suggestions/{s.pk}"
    return Status(201, {
        "id": s.pk, "code": s.code, "state": s.state, "version": s.version,
        "tracking_code": _tracking_code(user, s),
        "similar": [{"id": m.item.pk, "code": m.item.code, "title": m.item.title, "state": m.item.state,
                     "score": round(m.score, 4)} for m in matches],
    })


# -- suggestions: workflow verbs --------------------------------------------------------------------


@suggestions_router.post("/{int:suggestion_id}/assign", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="交办")
def assign_suggestion(request: HttpRequest, suggestion_id: int, payload: AssignIn) -> Suggestion:
    user = actor(request)
    s = _open(request, suggestion_id, Action.ASSIGN)
    units = units_visible_to(user)
    lead_unit = visible_ref(units, payload.lead_unit_id, "lead_unit_id")
    assert lead_unit is not None
    co_units = visible_refs(units, payload.co_unit_ids, "co_unit_ids")
    with _verb():
        services.suggestion_assign(actor=user, suggestion_id=s.pk, lead_unit=lead_unit, co_units=co_units,
                                   deadline=payload.deadline, on=payload.on, comment=payload.comment,
                                   expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/accept", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="签收（主办单位）")
def accept_suggestion(request: HttpRequest, suggestion_id: int, payload: SuggestionCommentIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.ACCEPT)
    with _verb():
        services.suggestion_accept(actor=actor(request), suggestion_id=s.pk, on=payload.on, comment=payload.comment,
                                   expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/return", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="退回（主办单位，交办后5个工作日内）")
def return_suggestion(request: HttpRequest, suggestion_id: int, payload: ReasonRequiredIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.RETURN)
    with _verb():
        services.suggestion_return(actor=actor(request), suggestion_id=s.pk, reason=payload.reason, on=payload.on,
                                   expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/co-opinion", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="提出协办意见（协办单位）")
def co_opinion_suggestion(request: HttpRequest, suggestion_id: int, payload: CoOpinionIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.CO_OPINION)
    with _verb():
        services.suggestion_co_opinion(actor=actor(request), suggestion_id=s.pk, opinion=payload.opinion,
                                       on=payload.on, expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/reply", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="答复（主办单位）")
def reply_suggestion(request: HttpRequest, suggestion_id: int, payload: ReplyIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.REPLY)
    with _verb():
        services.suggestion_reply(actor=actor(request), suggestion_id=s.pk, reply_class=payload.reply_class,
                                  text=payload.text, on=payload.on, expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/evaluate", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="满意度测评（不满意则重新办理）")
def evaluate_suggestion(request: HttpRequest, suggestion_id: int, payload: EvaluateIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.EVALUATE)
    with _verb():
        services.suggestion_evaluate(actor=actor(request), suggestion_id=s.pk, result=payload.result,
                                     comment=payload.comment, on=payload.on, expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/close", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="办结")
def close_suggestion(request: HttpRequest, suggestion_id: int, payload: SuggestionCommentIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.CLOSE)
    with _verb():
        services.suggestion_close(actor=actor(request), suggestion_id=s.pk, on=payload.on, comment=payload.comment,
                                  expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/close-dissatisfied",
                         response={200: SuggestionDetailOut, **VERB_ERRORS}, summary="不满意办结",
                         description="测评不满意、已重新办理至少一次后再次测评仍不满意的事项，由人大办或主席团"
                                     "成员说明理由后办结；计入办结数，并单独计入 closed_dissatisfied。")
def close_dissatisfied_suggestion(request: HttpRequest, suggestion_id: int, payload: ReasonRequiredIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.CLOSE_DISSATISFIED)
    with _verb():
        services.suggestion_close_dissatisfied(actor=actor(request), suggestion_id=s.pk, reason=payload.reason,
                                               on=payload.on, expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/extensions", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="申请延期（主办单位）")
def request_extension(request: HttpRequest, suggestion_id: int, payload: ExtensionIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.REQUEST_EXTENSION)
    with _verb():
        services.suggestion_request_extension(actor=actor(request), suggestion_id=s.pk, reason=payload.reason,
                                              days=payload.days, new_deadline=payload.new_deadline, on=payload.on,
                                              expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/extensions/{int:extension_id}/decide",
                         response={200: SuggestionDetailOut, **VERB_ERRORS}, summary="审批延期申请")
def decide_extension(request: HttpRequest, suggestion_id: int, extension_id: int,
                     payload: DecideExtensionIn) -> Suggestion:
    action = Action.APPROVE_EXTENSION if payload.approve else Action.REFUSE_EXTENSION
    s = _open(request, suggestion_id, action)
    if not Extension.objects.filter(pk=extension_id, suggestion_id=s.pk).exists():
        raise NotFound()
    with _verb():
        services.suggestion_decide_extension(actor=actor(request), extension_id=extension_id,
                                             approve=payload.approve, comment=payload.comment, on=payload.on,
                                             expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/decline", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="不予受理")
def decline_suggestion(request: HttpRequest, suggestion_id: int, payload: ReasonRequiredIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.DECLINE)
    with _verb():
        services.suggestion_decline(actor=actor(request), suggestion_id=s.pk, reason=payload.reason, on=payload.on,
                                    expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/withdraw", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="撤回（领衔代表）")
def withdraw_suggestion(request: HttpRequest, suggestion_id: int, payload: WithdrawIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.WITHDRAW)
    with _verb():
        services.suggestion_withdraw(actor=actor(request), suggestion_id=s.pk, reason=payload.reason, on=payload.on,
                                     expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/merge", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="合并至同内容的事项")
def merge_suggestion(request: HttpRequest, suggestion_id: int, payload: MergeIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.MERGE)
    target = visible_ref(_items(request), payload.into_id, "into_id")
    assert target is not None
    with _verb():
        services.suggestion_merge(actor=actor(request), suggestion_id=s.pk, into_id=target.pk,
                                  comment=payload.comment, on=payload.on, expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/remind", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="催办")
def remind_suggestion(request: HttpRequest, suggestion_id: int, payload: RemindIn) -> Suggestion:
    s = _open(request, suggestion_id, Action.REMIND)
    with _verb():
        services.suggestion_remind(actor=actor(request), suggestion_id=s.pk, note=payload.note, on=payload.on,
                                   expected_version=payload.version)
    return _after(request, s.pk)


@suggestions_router.post("/{int:suggestion_id}/key-supervision", response={200: SuggestionDetailOut, **VERB_ERRORS},
                         summary="列入或取消重点督办")
def key_supervision(request: HttpRequest, suggestion_id: int, payload: KeySupervisionIn) -> Suggestion:
    user = actor(request)
    s = _open(request, suggestion_id, Action.SUPERVISE)
    supervisor = visible_ref(presidium_members_visible_to(user), payload.supervisor_id, "supervisor_id")
    with _verb():
        services.suggestion_set_key_supervision(actor=user, suggestion_id=s.pk, enabled=payload.enabled,
                                                supervisor=supervisor, comment=payload.comment, on=payload.on,
                                                expected_version=payload.version)
    return _after(request, s.pk)


# -- suggestions: attachments ------------------------------------------------------------------------


@suggestions_router.post("/{int:suggestion_id}/attachments", response={201: SuggestionDetailOut, **ERRORS},
                         summary="上传附件（PNG、JPEG 图片或 PDF，每个不超过 10 MB，最多 9 个）")
def upload_attachments(request: HttpRequest, suggestion_id: int,
                       files: Annotated[list[UploadedFile] | None, File()] = None,
                       reply_id: Form[int] = None) -> Status[Suggestion]:  # type: ignore[assignment]  # no null in a form
    """multipart/form-data: one or more ``files``; with ``reply_id``, the files belong to that reply
    (uploaded by the unit that replied or the office). The type is checked by the content. No file
    (or a part that is not a file: no file name) is the service's 400 「请选择要上传的文件」, as from
    the page — a business rule, not a request outside the schema."""
    s = visible(request, _items(request), suggestion_id)
    services.suggestion_attach(actor=actor(request), suggestion_id=s.pk, files=files or [], reply_id=reply_id)
    return Status(201, _after(request, s.pk))


@suggestions_router.get("/{int:suggestion_id}/attachments/{int:attachment_id}", response={200: None, **ERRORS},
                        summary="下载附件")
def download_attachment(request: HttpRequest, suggestion_id: int, attachment_id: int) -> HttpResponseBase:
    s = visible(request, _items(request), suggestion_id)
    att = Attachment.objects.filter(pk=attachment_id, suggestion_id=s.pk).first()
    if att is None:
        raise NotFound()
    return attachment_response(att)


# -- personal data, documents ------------------------------------------------------------------------


class ContactOut(Schema):
    name: str = Field(description="提出人姓名（明文）")
    phone: str = Field(description="联系电话（明文）")


@suggestions_router.post("/{int:suggestion_id}/reveal", response={200: ContactOut, **ERRORS},
                         summary="查看提出人联系方式（须说明理由，记入审计日志）",
                         description="本镇街人大办、主席团成员；主办单位仅在办理中且提出人未拒绝承办单位联系时。")
def reveal_contact(request: HttpRequest, suggestion_id: int, payload: RevealIn) -> services.SubmitterContact:
    s = _open(request, suggestion_id, "reveal")
    return services.suggestion_reveal(actor=actor(request), suggestion_id=s.pk, reason=payload.reason)


@suggestions_router.get("/{int:suggestion_id}/documents/{kind}", response={200: None, **ERRORS},
                        summary="下载文书（Word）：assignment_sheet 交办单、reply_letter 答复函")
def download_document(request: HttpRequest, suggestion_id: int, kind: str) -> HttpResponse:
    if kind not in policy.DOCUMENTS:
        raise NotFound()
    s = _open(request, suggestion_id, kind)
    try:
        name, content = services.suggestion_documents(actor=actor(request), suggestion_ids=[s.pk], kind=kind)
    except InvalidInput:
        raise NotFound(_("该事项还没有这种文书")) from None  # not yet assigned / replied
    return docx_response(name, content)


# -- categories --------------------------------------------------------------------------------------


@categories_router.get("", response={200: list[CategoryOut], **ERRORS}, summary="意见建议类别列表")
@paginate(Pagination)
def list_categories(request: HttpRequest, filters: Query[CategoryFilters]) -> Any:
    user = actor(request)
    require_list(policy.require, user)
    qs = common_filters(_categories(user), filters, ("name",))
    if filters.town_id is not None:
        qs = qs.filter(town_id=filters.town_id)
    return qs


@categories_router.post("", response={201: CategoryOut, **ERRORS}, summary="新增意见建议类别")
def create_category(request: HttpRequest, payload: CategoryIn) -> Status[SuggestionCategory]:
    user = actor(request)
    policy.require(user, "create")
    category = services.suggestion_category_create(actor=user, town=town_ref(user, payload.town_id),
                                                   name=payload.name)
    return Status(201, visible(request, _categories(user), category.pk))


#: Mounted under /api/ by renda/api.py (see renda.core.plugins).
routers: list[tuple[str, Router]] = [
    ("/suggestions/categories", categories_router),
    ("/suggestions", suggestions_router),
]
