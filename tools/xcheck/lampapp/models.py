"""The Lamp model of docs/django-semantics.md. Managed (as a project's models are), so that
TransactionTestCase's flush truncates `lamps` (docs/measurements/django.md, flush.py: flush skips
unmanaged models); no migration ever runs: the run makes the table in its private schema."""
from django.db import models


class Lamp(models.Model):
    status = models.CharField(max_length=3, default="off")

    class Meta:
        app_label = "lampapp"
        db_table = "lamps"
