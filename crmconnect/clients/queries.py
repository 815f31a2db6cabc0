"""Read side of clients: every query starts from what the user may see."""

import re

from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Concat

from crmconnect.core.validators import normalize_ro_tax_id

from .models import Client, ClientGroup, Contact

CUI_START = re.compile(r"^(?:RO?|(?:RO)?\d+)$")


def search_filter(text):
    """Name or email containing `text`, or a CUI starting with it (with or without RO).

    A column is left out where it cannot match (a CUI is RO and digits, an email has no
    spaces), which spares the database a comparison per row."""
    text = text.strip()
    condition = Q(name__icontains=text)
    if not any(char.isspace() for char in text):
        condition |= Q(email__icontains=text)
    cui = normalize_ro_tax_id(text)
    if CUI_START.match(cui):
        condition |= Q(cui__istartswith=cui)
        if cui.isdigit():
            condition |= Q(cui__istartswith=f"RO{cui}")
    return condition


def name_order_of_matches(descending=False):
    """Name order for search results, written so that the database sorts the matches rather
    than walking the name index: names matching a typed prefix sit together in name order, so
    the walk would read every client before them first."""
    expression = Concat("name", Value(""), output_field=CharField())
    return expression.desc() if descending else expression.asc()


def client_list(user):
    return Client.objects.visible_to(user).select_related("group", "owner")


def client_detail(user):
    return (Client.objects.visible_to(user)
            .select_related("group", "owner", "created_by").prefetch_related("contacts"))


def client_search(user, text):
    return (Client.objects.visible_to(user).filter(search_filter(text))
            .order_by(name_order_of_matches(), "pk"))


def contacts_visible_to(user):
    return Contact.objects.filter(client__in=Client.objects.visible_to(user)).select_related(
        "client")


def group_list():
    return ClientGroup.objects.annotate(client_count=Count("clients")).order_by("name")
