from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_language_zh_hant")]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="contact_preference",
            field=models.CharField(
                choices=[
                    ("email", "Email"),
                    ("phone", "Phone only, no email"),
                    ("post", "Letters by post, no email"),
                    ("none", "No messages"),
                ],
                db_default="email",
                default="email",
                max_length=10,
                verbose_name="how they want to hear from us",
            ),
        ),
    ]
