"""The application's one view, as a web app would write it."""
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lamps.models import Lamp


@csrf_exempt
@require_POST
def switch_on(request, lamp_id):
    """Loads the lamp, sets it 'on', saves it (autocommit: the UPDATE commits at once)."""
    lamp = Lamp.objects.get(pk=lamp_id)
    lamp.status = "on"
    lamp.save()
    return JsonResponse({"id": lamp.id, "status": lamp.status})
