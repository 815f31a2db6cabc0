"""Domain events of leads and opportunities, sent on commit by the services (workflow
automation and later modules subscribe to them)."""

from django.dispatch import Signal

lead_created = Signal()  # lead, actor
lead_status_changed = Signal()  # lead, actor, old_status, new_status
lead_lost = Signal()  # lead, actor, reason
lead_converted_to_opportunity = Signal()  # lead, opportunity, actor
lead_converted_to_client = Signal()  # lead, client, actor
