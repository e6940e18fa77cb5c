"""POST /lamps/<id>/switch-on."""
from django.urls import path

from lamps.views import switch_on

urlpatterns = [path("lamps/<int:lamp_id>/switch-on", switch_on)]
