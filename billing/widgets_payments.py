"""The client record's "Payments & credit" tab."""

from . import queries_payments as queries
from .services.payments import client_credit


def client_payments_context(request, client):
    return {"client": client, "client_credit": client_credit(client),
            "client_payments": queries.client_payments(request.user, client)}
