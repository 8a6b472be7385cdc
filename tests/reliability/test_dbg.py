import re
from tests.reliability.test_concurrent_edits import *
@pytest.mark.django_db(transaction=True)
def test_dbg():
    world, s, staff_a, staff_b = _setup()
    c = Client(); c.force_login(staff_b)
    from renda.suggestions import services
    services.suggestion_assign(actor=staff_a, suggestion_id=s.pk, lead_unit=world.unit)
    r = c.post(f"/suggestions/{s.pk}/do/assign/", {"assign-version": 0, "assign-lead_unit": world.unit.pk})
    html = r.content.decode()
    print(r.status_code, re.findall(r'(alert[^>]*>[^<]*<|invalid-feedback[^>]*>[^<]*<)', html))
