"""Every change to clients, their contacts and client groups: one transaction each, with a
line in the activity log (on the client, so it shows in the client's history)."""

from django.db import transaction

from crmconnect.activity.services import activity_record, apply_changes

from .events import client_created, client_updated
from .models import Client, ClientGroup, Contact

CLIENT_FIELDS = [
    "kind", "name", "cui", "vat_payer", "vat_regime", "reg_com", "street", "city", "county",
    "sector", "postal_code", "iban", "bank_name", "email", "phone", "website", "currency",
    "group", "owner", "notes", "active",
]
CONTACT_FIELDS = ["first_name", "last_name", "position", "email", "phone"]
GROUP_FIELDS = ["name", "description"]


def _lock_client(client):
    return Client.objects.select_for_update().get(pk=client.pk)


# --- clients -----------------------------------------------------------------------------

@transaction.atomic
def client_create(*, actor, **values):
    """A new client; the creator becomes its account owner when none is chosen."""
    client = Client(created_by=actor)
    apply_changes(client, values, CLIENT_FIELDS)
    if client.owner is None:
        client.owner = actor
    client.full_clean()
    client.save()
    activity_record(actor=actor, event="client.created", record=client,
                    description=f"Client “{client.name}” created")
    transaction.on_commit(lambda: client_created.send(sender=Client, client=client, actor=actor))
    return client


@transaction.atomic
def client_update(*, actor, client, **values):
    client = _lock_client(client)
    changes = apply_changes(client, values, CLIENT_FIELDS)
    client.full_clean()
    client.save()
    if changes:
        activity_record(actor=actor, event="client.updated", record=client, changes=changes,
                        description=f"Client “{client.name}” updated")
        transaction.on_commit(lambda: client_updated.send(
            sender=Client, client=client, actor=actor, changes=changes))
    return client


@transaction.atomic
def client_delete(*, actor, client):
    """Deletes the client and its contacts. The log line is not linked to the client: its
    history is deleted with it, this line stays."""
    client = _lock_client(client)
    summary = {"name": [client.name, None], "cui": [client.cui, None]}
    description = f"Client “{client.name}” (#{client.pk}) deleted"
    client.delete()
    activity_record(actor=actor, event="client.deleted", description=description,
                    changes=summary)


# --- contacts ----------------------------------------------------------------------------

def _set_primary(client, contact):
    """Unset the current primary first: the one-primary constraint is checked per row."""
    client.contacts.filter(is_primary=True).exclude(pk=contact.pk).update(is_primary=False)
    if not contact.is_primary:
        contact.is_primary = True
        contact.save(update_fields=["is_primary"])


@transaction.atomic
def contact_add(*, actor, client, is_primary=False, **values):
    """A new contact; the client's first contact is its primary one."""
    client = _lock_client(client)
    contact = Contact(client=client)
    apply_changes(contact, values, CONTACT_FIELDS)
    contact.full_clean()
    make_primary = is_primary or not client.contacts.exists()
    contact.save()
    if make_primary:
        _set_primary(client, contact)
    activity_record(actor=actor, event="contact.added", record=client, client=client,
                    description=f"Contact {contact} added to “{client.name}”"
                                + (" as primary contact" if make_primary else ""),
                    changes={"contact": [None, str(contact)]})
    return contact


@transaction.atomic
def contact_update(*, actor, contact, **values):
    client = _lock_client(contact.client)
    contact = client.contacts.get(pk=contact.pk)
    changes = apply_changes(contact, values, CONTACT_FIELDS)
    contact.full_clean()
    contact.save()
    if changes:
        activity_record(actor=actor, event="contact.updated", record=client, client=client,
                        description=f"Contact {contact} of “{client.name}” updated",
                        changes=changes)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact):
    """Removes a contact; when it was the primary one, the next contact takes its place."""
    client = _lock_client(contact.client)
    contact = client.contacts.get(pk=contact.pk)
    name = str(contact)
    contact.delete()
    activity_record(actor=actor, event="contact.removed", record=client, client=client,
                    description=f"Contact {name} removed from “{client.name}”",
                    changes={"contact": [name, None]})
    if contact.is_primary:
        successor = client.contacts.order_by("created_at", "pk").first()
        if successor is not None:
            _set_primary(client, successor)
            _record_primary_change(actor, client, name, successor)


@transaction.atomic
def contact_make_primary(*, actor, contact):
    client = _lock_client(contact.client)
    contact = client.contacts.get(pk=contact.pk)
    if contact.is_primary:
        return contact
    previous = client.contacts.filter(is_primary=True).first()
    _set_primary(client, contact)
    _record_primary_change(actor, client, str(previous) if previous else None, contact)
    return contact


def _record_primary_change(actor, client, previous_name, contact):
    activity_record(actor=actor, event="contact.primary_changed", record=client, client=client,
                    description=f"{contact} is now the primary contact of “{client.name}”",
                    changes={"primary_contact": [previous_name, str(contact)]})


# --- client groups -----------------------------------------------------------------------

@transaction.atomic
def group_create(*, actor, **values):
    group = ClientGroup()
    apply_changes(group, values, GROUP_FIELDS)
    group.full_clean()
    group.save()
    activity_record(actor=actor, event="client_group.created", record=group,
                    description=f"Client group “{group.name}” created")
    return group


@transaction.atomic
def group_update(*, actor, group, **values):
    group = ClientGroup.objects.select_for_update().get(pk=group.pk)
    changes = apply_changes(group, values, GROUP_FIELDS)
    group.full_clean()
    group.save()
    if changes:
        activity_record(actor=actor, event="client_group.updated", record=group,
                        changes=changes, description=f"Client group “{group.name}” updated")
    return group


@transaction.atomic
def group_delete(*, actor, group):
    """Its clients stay, without a group."""
    group = ClientGroup.objects.select_for_update().get(pk=group.pk)
    description = f"Client group “{group.name}” deleted"
    group.delete()
    activity_record(actor=actor, event="client_group.deleted", description=description,
                    changes={"name": [group.name, None]})
