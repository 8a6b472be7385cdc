from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class ProjectsConfig(plugins.RendaAppConfig):
    name = "renda.projects"
    label = "projects"
    verbose_name = _("民生实事")
    verbs: dict[str, str] = {}
