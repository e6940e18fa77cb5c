"""The measurements' tiny Django app: the Lamp model (table `lamps`) and the two views the
application session's steps call (switch-on, delete), each in transaction.atomic()."""
