from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class PeopleConfig(plugins.RendaAppConfig):
    name = "renda.people"
    label = "people"
    verbose_name = _("代表")
