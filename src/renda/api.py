"""The JSON API (Django Ninja) under /api/: the API object and every app's routers.

The helpers every router shares (authentication by session, offline docs, error handlers,
schemas, pagination, visibility-scoped lookups) are in ``renda.core.api``; bearer tokens are
``accounts``'. Each app's ``api.py`` declares ``routers = [(prefix, router), ...]``, found here
through renda.core.plugins in ``INSTALLED_APPS`` order; adding an app edits nothing here.
"""

from __future__ import annotations

from ninja import NinjaAPI

from renda.accounts.api import TokenAuth
from renda.core.api import CsrfSessionAuth, OfflineSwagger, docs_router, fallback_router, install_error_handlers
from renda.core.plugins import app_modules

api = NinjaAPI(
    title="renda API",
    version="1",
    description="乡镇人大履职平台 API。浏览器内调用使用登录会话（写操作需带 X-CSRFToken）；"
                "外部系统使用 `Authorization: Bearer rd_…` 令牌（在 /api/tokens 创建）。"
                "错误统一为 `{\"code\", \"message\", \"fields\"}`。",
    auth=[TokenAuth(), CsrfSessionAuth()],
    urls_namespace="api",
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

for module in app_modules("api"):
    for prefix, router in getattr(module, "routers", ()):
        api.add_router(prefix, router)
api.add_router("/docs", docs_router)
api.add_router("", fallback_router)
