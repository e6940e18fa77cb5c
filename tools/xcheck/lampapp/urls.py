"""ROOT_URLCONF: POST /lamps/<pk>/switch-on and /lamps/<pk>/delete."""
from django.urls import path

from . import views

urlpatterns = [
    path("lamps/<int:pk>/switch-on", views.switch_on),
    path("lamps/<int:pk>/delete", views.delete),
]
