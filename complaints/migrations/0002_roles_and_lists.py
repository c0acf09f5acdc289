from django.db import migrations

from complaints import defaults


def create_roles_and_lists(apps, schema_editor):
    defaults.ensure_defaults(
        apps.get_model("auth", "Group"),
        apps.get_model("complaints", "Category"),
        apps.get_model("complaints", "RootCause"),
        apps.get_model("complaints", "Department"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles_and_lists, migrations.RunPython.noop)]
