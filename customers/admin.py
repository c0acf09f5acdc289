from django.contrib import admin

from .models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "tier", "created_at"]
    list_filter = ["tier"]
    search_fields = ["name", "email", "phone_normalized"]
    readonly_fields = ["tier", "created_at"]
