from django.utils.translation import gettext_lazy as _

from renda.core import plugins


class CoreConfig(plugins.RendaAppConfig):
    name = "renda.core"
    label = "core"
    verbose_name = _("基础")
    verbs = {"personal_data.reveal": _("查看个人信息")}  # core.privacy.record_reveal

    def ready(self) -> None:
        super().ready()
        from django.db.backends.signals import connection_created

        from renda.core.filemodes import private_sqlite_files

        connection_created.connect(private_sqlite_files, dispatch_uid="renda.core.private_sqlite_files")
