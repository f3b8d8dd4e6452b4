"""The Analysts and Editors groups with their permissions (accounts.roles)."""
from django.db import migrations


def make_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("digest", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_roles, migrations.RunPython.noop)]
