"""The application's two requests, as the contract writes them (each in its own atomic block)."""
from django.db import transaction
from django.http import HttpResponse

from .models import Lamp


def switch_on(request, pk):
    """POST /lamps/<pk>/switch-on: get, status = "on", save(), in transaction.atomic()."""
    with transaction.atomic():
        lamp = Lamp.objects.get(pk=pk)
        lamp.status = "on"
        lamp.save()
    return HttpResponse("on")


def delete(request, pk):
    """POST /lamps/<pk>/delete: get(...).delete(), in transaction.atomic()."""
    with transaction.atomic():
        Lamp.objects.get(pk=pk).delete()
    return HttpResponse("deleted")
