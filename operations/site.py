from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path


class SiteAdmin(admin.AdminSite):
    """The admin, branded, with the Site performance page (operations.views.performance)."""

    site_header = "Learning Solidity administration"
    site_title = "Learning Solidity admin"
    index_title = "Site administration"

    def get_urls(self):
        from operations import views

        return [
            path("performance/", self.admin_view(views.performance), name="performance"),
            *super().get_urls(),
        ]


class SiteAdminConfig(AdminConfig):
    """django.contrib.admin with SiteAdmin as admin.site (INSTALLED_APPS names this)."""

    default_site = "operations.site.SiteAdmin"
