from typing import Any

from renda.core.stats import Period, section


@section("plugin_probe", order=900)
def probe(period: Period, scope: Any) -> dict[str, Any]:
    return {"towns": len(scope.town_ids), "from": period.from_.isoformat()}
