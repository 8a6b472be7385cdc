# SecurityEvent moves from accounts to audit (security events sit on the floor, beside the audit
# trail, so core's policy can log a denial without importing accounts). The table keeps its name:
# only Django's state moves, no row is copied.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.CreateModel(
            name='SecurityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('login_failed', '登录失败'), ('login_locked', '登录被暂时锁定'), ('login', '登录'), ('logout', '退出'), ('access_denied', '拒绝访问'), ('not_found', '访问不存在或无权查看的记录'), ('password_changed', '修改密码')], max_length=20, verbose_name='类型')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='用户名')),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('path', models.CharField(blank=True, max_length=500, verbose_name='路径')),
                ('detail', models.CharField(blank=True, max_length=500, verbose_name='说明')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '安全事件',
                'verbose_name_plural': '安全事件',
                'db_table': 'accounts_securityevent',
                'ordering': ['-at'],
            },
        )], database_operations=[]),
    ]
