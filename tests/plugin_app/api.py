from django.http import HttpRequest
from ninja import Router

probe_router = Router(tags=["plugin-probe"])


@probe_router.get("/ping", url_name="plugin_probe_ping")
def ping(request: HttpRequest) -> dict[str, str]:
    return {"pong": "探针"}


routers = [("/plugin-probe", probe_router)]
