from django.db import migrations

from complaints import defaults

GROUPS = ("staff", "supervisor", "manager")


def create_roles_and_lists(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for model_name, entries in (
        ("Category", defaults.CATEGORIES),
        ("RootCause", defaults.ROOT_CAUSES),
        ("Department", defaults.DEPARTMENTS),
    ):
        model = apps.get_model("complaints", model_name)
        for position, (code, label, label_zh) in enumerate(entries):
            model.objects.get_or_create(
                code=code, defaults={"label": label, "label_zh": label_zh, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles_and_lists, migrations.RunPython.noop)]
