from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalog_page, name="catalog"),
    path("courses/<slug:course>/", views.course_detail, name="course"),
    path("courses/<slug:course>/enroll/", views.enroll_in_course, name="enroll"),
    path("courses/<slug:course>/<slug:lesson>/", views.lesson_detail, name="lesson"),
    path("courses/<slug:course>/<slug:lesson>/complete/", views.complete, name="complete"),
    path("courses/<slug:course>/<slug:lesson>/check/", views.check_exercise, name="check"),
    path("api/courses", views.api_courses, name="api"),
    path("search/", views.search, name="search"),
]
