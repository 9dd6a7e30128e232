"""Rights of the newsroom's groups, granted by migrations: a migration that adds a
model gives the groups their permissions on it in the same step."""
from django.contrib.auth.management import create_permissions


def grant(apps, permissions_by_group):
    """{group name: [codename, …]}: add these articles permissions to each group
    that exists (a fresh database made its groups in migration 0002)."""
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in permissions_by_group.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
