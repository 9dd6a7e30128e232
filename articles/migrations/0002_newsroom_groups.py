from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"

# Reporters write and illustrate drafts; the admin refuses them the status
# field and published articles because they lack publish_article.
REPORTER_PERMISSIONS = {
    "article": ["add", "change", "view"],
    "photo": ["add", "change", "delete", "view"],
    "tag": ["add", "view"],
    "category": ["view"],
}
EDITOR_PERMISSIONS = {
    "article": ["add", "change", "delete", "view", "publish"],
    "photo": ["add", "change", "delete", "view"],
    "tag": ["add", "change", "delete", "view"],
    "category": ["add", "change", "delete", "view"],
}


def codenames(spec):
    for model, actions in spec.items():
        for action in actions:
            yield f"{action}_{model}"


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in ((REPORTERS, REPORTER_PERMISSIONS), (EDITORS, EDITOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=list(codenames(spec)))
        )


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=1, defaults={"domain": "antd.vn", "name": "An Ninh Thủ Đô"})


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[REPORTERS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(name_site, migrations.RunPython.noop),
    ]
