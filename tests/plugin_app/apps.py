from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class PluginProbeConfig(plugins.RendaAppConfig):
    name = "tests.plugin_app"
    label = "plugin_probe"
    verbose_name = "插件探针"
    verbs = {"plugin_probe.poke": _("探针戳了一下")}
