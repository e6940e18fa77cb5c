"""ROOT_URLCONF of the measurements: the two views."""
from django.urls import path

from . import views

urlpatterns = [
    path("lamps/<int:pk>/switch-on", views.switch_on),
    path("lamps/<int:pk>/delete", views.delete),
]
