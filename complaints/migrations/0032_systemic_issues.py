"""Systemic issues: the register, the complaints linked to each, and the suggestions the desk
makes when similar complaints from different customers pile up (complaints.systemic)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0031_holds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SystemicIssue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('status', models.CharField(choices=[('open', 'Open'), ('investigating', 'Investigating'), ('fixed', 'Fixed'), ('closed', 'Closed')], default='open', max_length=15, verbose_name='status')),
                ('preventive_action', models.TextField(blank=True, verbose_name='preventive action')),
                ('opened_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='opened')),
                ('fixed_at', models.DateTimeField(blank=True, null=True, verbose_name='fixed at')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='updated')),
                ('opened_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='opened by')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
            ],
            options={
                'verbose_name': 'systemic issue',
                'verbose_name_plural': 'systemic issues',
                'ordering': ['-opened_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SystemicIssueComplaint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('linked_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='linked')),
                ('complaint', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='systemic_link', to='complaints.complaint', verbose_name='complaint')),
                ('issue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='complaints.systemicissue', verbose_name='systemic issue')),
                ('linked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='linked by')),
            ],
            options={
                'verbose_name': 'complaint in a systemic issue',
                'verbose_name_plural': 'complaints in systemic issues',
                'ordering': ['linked_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SystemicSuggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fingerprint', models.CharField(max_length=64, unique=True, verbose_name='fingerprint')),
                ('product', models.CharField(blank=True, max_length=200, verbose_name='product or service')),
                ('title', models.CharField(max_length=200, verbose_name='suggested title')),
                ('status', models.CharField(choices=[('pending', 'Waiting for a decision'), ('accepted', 'Accepted'), ('dismissed', 'Dismissed')], default='pending', max_length=10, verbose_name='status')),
                ('customer_count', models.PositiveIntegerField(default=0, verbose_name='customers')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='suggested')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='complaints.category', verbose_name='category')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('issue', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='suggestions', to='complaints.systemicissue', verbose_name='systemic issue')),
            ],
            options={
                'verbose_name': 'systemic issue suggestion',
                'verbose_name_plural': 'systemic issue suggestions',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SystemicSuggestionComplaint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('complaint', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='systemic_suggestion', to='complaints.complaint', verbose_name='complaint')),
                ('suggestion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='complaints.systemicsuggestion', verbose_name='suggestion')),
            ],
            options={
                'verbose_name': 'complaint in a suggestion',
                'verbose_name_plural': 'complaints in suggestions',
            },
        ),
        migrations.AddIndex(
            model_name='systemicsuggestion',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['created_at'], name='suggestion_pending'),
        ),
    ]
