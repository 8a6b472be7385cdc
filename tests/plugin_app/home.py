from typing import Any

from renda.core.home import card
from renda.core.navigation import EVERYONE, NavItem, register
from renda.core.roles import Role

register(NavItem("探针菜单", "plugin_probe:index", EVERYONE, order=5))


@card("probe", template="plugin_app/card.html", roles={Role.STAFF, Role.DISTRICT_VIEWER}, order=1)
def probe(user: Any) -> dict[str, str]:
    return {"text": f"探针卡片：{user.username}"}
