"""The work report page (issue #17 item 3): who may open it and start a job (every role), the
form's errors, the job's progress and status, the download with its format's content type, and
that the job writes the same document as ``renda work_report``."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from tests.support import PASSWORD, World

from renda.core import jobs
from renda.core.roles import Role
from renda.reports import report_jobs, report_views, work_report
from renda.suggestions import services

ALLOWED = (Role.PRESIDIUM, Role.STAFF, Role.DISTRICT_VIEWER, Role.ADMIN)
REFUSED = (Role.DEPUTY, Role.UNIT, Role.GRID_WORKER)
H1 = {"kind": "half", "year": "2023", "half": "1", "format": "md"}


def _login(user: Any) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def run(job_id: str) -> Any:
    """Run the job as the worker does (claim, run) and return its result."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=1, worker_id="test", excluded_queue_names=[])
    job = DBTaskResult.objects.get(pk=job_id)
    job.claim(worker.worker_id)
    worker.run_task(job)
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL", job.traceback
    return job


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _started(c: Client, data: dict[str, str]) -> str:
    r = c.post(reverse("reports:work_report"), data)
    assert r.status_code == 302, r.content.decode()
    return str(r["Location"]).rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.django_db
def test_policy_every_role(world: World, data_dir: Path) -> None:
    """Every role × the page (GET, POST), the job's status and its download; the job of another
    user (even of the same town and role) is a 404."""
    staff = _login(world.users[Role.STAFF])
    job_id = _started(staff, H1)
    run(job_id)
    status = reverse("reports:work_report_status", args=[job_id])
    download = reverse("reports:work_report_download", args=[job_id])
    for role in ALLOWED + REFUSED:
        c = _login(world.users[role])
        page = c.get(reverse("reports:work_report"))
        if role in REFUSED:
            assert page.status_code == 403, role
            assert c.post(reverse("reports:work_report"), H1).status_code == 403, role
            assert c.get(status).status_code == 403 and c.get(download).status_code == 403, role
            continue
        assert page.status_code == 200 and "生成报告" in page.content.decode(), role
        expected = 200 if role == Role.STAFF else 404
        assert c.get(status).status_code == expected, role
        assert c.get(download).status_code == expected, role
    other = _login(world.other_staff)
    assert other.get(status).status_code == 404 and other.get(download).status_code == 404
    anonymous = Client().get(reverse("reports:work_report"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


@pytest.mark.django_db
def test_town_choice_follows_the_users_reach(world: World, data_dir: Path) -> None:
    """A town's office reports on its own town only; the district viewer on a town or the district."""
    staff = _login(world.users[Role.STAFF])
    html = staff.get(reverse("reports:work_report")).content.decode()
    assert world.town.name in html and world.other_town.name not in html and "全区（各镇街汇总）" not in html
    r = staff.post(reverse("reports:work_report"), {**H1, "town": world.other_town.code})
    assert r.status_code == 400 and "不是可选的范围" in r.content.decode()

    viewer = _login(world.users[Role.DISTRICT_VIEWER])
    html = viewer.get(reverse("reports:work_report")).content.decode()
    assert world.other_town.name in html and "全区（各镇街汇总）" in html
    district = run(_started(viewer, H1))
    town = run(_started(viewer, {**H1, "town": world.other_town.code}))
    assert district.return_value["filename"].startswith("全区各镇街2023年上半年")
    assert town.return_value["filename"].startswith(f"{world.other_town.name}2023年上半年")


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    ({**H1, "format": "pdf"}, "不是可选的格式"),
    ({**H1, "format": ""}, "请选择格式"),
    ({**H1, "half": ""}, "请选择半年"),
    ({"kind": "range", "start": "2023-07-01", "end": "2023-06-30", "format": "md"}, "截止日期不能早于起始日期"),
    ({**H1, "year": "1990"}, "年份「1990」不在可选范围内"),
    ({**H1, "as_of": "2023-13-01"}, "截至日期应为 YYYY-MM-DD 格式的日期"),
])
def test_form_errors_in_chinese(world: World, data_dir: Path, data: dict[str, str], message: str) -> None:
    r = _login(world.users[Role.STAFF]).post(reverse("reports:work_report"), data)
    assert r.status_code == 400
    assert message in r.content.decode()


def test_default_period_is_the_last_half_that_ended() -> None:
    assert report_views.default_period(dt.date(2024, 7, 1)).from_ == dt.date(2024, 1, 1)
    assert report_views.default_period(dt.date(2024, 6, 30)).from_ == dt.date(2023, 7, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", work_report.FORMATS)
def test_job_writes_what_the_command_writes(world: World, data_dir: Path, fmt: str) -> None:
    services.suggestion_register(actor=world.users[Role.STAFF], town=world.town, kind="public", title="路灯不亮",
                                 submitter_name="张三", on=dt.date(2023, 3, 1))
    c = _login(world.users[Role.STAFF])
    job_id = _started(c, {**H1, "format": fmt, "as_of": "2023-06-30"})
    state = c.get(reverse("reports:work_report_status", args=[job_id]), {"format": "json"}).json()
    assert state["status"] == "READY" and state["download"] is None
    run(job_id)
    state = c.get(reverse("reports:work_report_status", args=[job_id]), {"format": "json"}).json()
    assert state["status"] == "SUCCESSFUL" and state["progress"] is None
    r = c.get(state["download"])
    assert r.status_code == 200 and r["Content-Type"] == work_report.CONTENT_TYPES[fmt]
    assert "attachment" in r["Content-Disposition"] and r["Cache-Control"] == "private, no-store"
    from_page = b"".join(r.streaming_content)  # type: ignore[attr-defined]

    out = data_dir / f"cli.{fmt}"
    call_command("work_report", "--period", "2023H1", "--town", world.town.code, "--as-of", "2023-06-30",
                 "--format", fmt, "--output", str(out), stdout=io.StringIO())
    from_command = out.read_bytes()
    if fmt == "docx":  # the same parts (the zip's own timestamps may differ)
        with zipfile.ZipFile(io.BytesIO(from_page)) as a, zipfile.ZipFile(io.BytesIO(from_command)) as b:
            assert a.namelist() == b.namelist()
            for name in a.namelist():
                assert a.read(name) == b.read(name), name
    else:
        assert from_page == from_command
        assert "路灯不亮".encode() in from_page or fmt == "md"


@pytest.mark.django_db
def test_status_page_shows_progress_while_running(world: World, data_dir: Path) -> None:
    c = _login(world.users[Role.STAFF])
    job_id = _started(c, H1)
    url = reverse("reports:work_report_status", args=[job_id])
    page = c.get(url).content.decode()
    assert "hx-trigger" in page and "排队中" in page and "job-progress" not in page
    jobs.set_progress(job_id, 60)
    page = c.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="job-progress"' in page and 'value="60"' in page
    assert c.get(url, {"format": "json"}).json()["progress"] == 60
    run(job_id)  # the job ends: its progress file is gone, the page offers the download
    assert jobs.progress(job_id) is None
    page = c.get(url).content.decode()
    assert "下载 Markdown 文件" in page and "hx-trigger" not in page


def test_progress_store(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    job = "0b7c1f8e-2f4e-4e57-9a53-3f4a8a0c9d11"
    assert jobs.progress(job) is None
    with jobs.tracking(job) as step:
        assert jobs.progress(job) == 0
        step(40)
        assert jobs.progress(job) == 40
        step(140)
        assert jobs.progress(job) == 100
    assert jobs.progress(job) is None
    with pytest.raises(ValueError):
        jobs.set_progress("../../etc/passwd", 1)
    assert jobs.progress("../x") is None


@pytest.mark.django_db
def test_progress_is_reported_in_order(world: World) -> None:
    """``produce`` reports its parts in rising order, ending at 100 (town and district)."""
    seen: list[int] = []
    period = work_report.metrics.Period.parse("2023H1")
    for town in (world.town.code, None):
        seen.clear()
        scope = work_report.metrics.resolve_scope(town)
        work_report.produce(period, scope, "md", progress=seen.append)
        assert seen == sorted(seen) and seen[0] < seen[-1] == 100
    assert report_jobs.job_for(world.users[Role.STAFF], "0b7c1f8e-2f4e-4e57-9a53-3f4a8a0c9d11") is None
