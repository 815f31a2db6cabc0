"""Domain events of clients; sent on commit by the services."""

from django.dispatch import Signal

client_created = Signal()  # client, actor
client_updated = Signal()  # client, actor, changes
