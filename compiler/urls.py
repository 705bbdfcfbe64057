from django.urls import path

from compiler import views

app_name = "compiler"

urlpatterns = [
    path("api/compile", views.api_compile, name="api"),
]
