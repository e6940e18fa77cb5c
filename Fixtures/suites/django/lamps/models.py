"""The lamp: id (serial key) and status (text, 'off' unless set)."""
from django.db import models


class Lamp(models.Model):
    status = models.TextField(default="off")

    class Meta:
        db_table = "django_lamps"
