from django.urls import URLPattern, URLResolver, include, path

from renda.reports import report_views, views

patterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("mine/", views.mine, name="mine"),
    path("district/", views.district, name="district"),
    path("table/", views.table, name="table"),
    path("export/", views.export, name="export"),
    path("exports/<uuid:job_id>/", views.export_status, name="export_status"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
    # the work report (工作报告初稿): reports.report_views
    path("work-report/", report_views.work_report, name="work_report"),
    path("work-report/<uuid:job_id>/", report_views.work_report_status, name="work_report_status"),
    path("work-report/<uuid:job_id>/download/", report_views.work_report_download, name="work_report_download"),
]

#: Mounted at the site root (renda/urls.py finds every app's urls module; see renda.core.plugins).
urlpatterns = [
    path("reports/", include((patterns, "reports"))),
]
