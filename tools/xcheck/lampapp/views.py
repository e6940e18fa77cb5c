"""The application's requests (the app session's steps), each one request in its own atomic block."""
from django.db import transaction
from django.http import HttpResponse

from .models import Lamp


def switch_on(request, pk):
    """switch-on: get, status = "on", save(), in transaction.atomic()."""
    with transaction.atomic():
        lamp = Lamp.objects.get(pk=pk)
        lamp.status = "on"
        lamp.save()
    return HttpResponse("on")


def delete(request, pk):
    """delete: Lamp.objects.get(pk=...).delete(), in transaction.atomic()."""
    with transaction.atomic():
        Lamp.objects.get(pk=pk).delete()
    return HttpResponse("deleted")
