from .invoices import Invoice, InvoiceLine
from .payments import GatewayCheckout, GatewayEvent, Payment, PaymentAllocation, PaymentMode
from .settings import BillingSettings, Series

__all__ = ["BillingSettings", "GatewayCheckout", "GatewayEvent", "Invoice", "InvoiceLine",
           "Payment", "PaymentAllocation", "PaymentMode", "Series"]
