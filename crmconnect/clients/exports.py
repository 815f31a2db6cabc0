"""The columns of the client list's download."""

from crmconnect.core.exports import Export, local_moment

COLUMNS = [
    ("ID", lambda c: c.pk),
    ("Kind", lambda c: c.get_kind_display()),
    ("Name", lambda c: c.name),
    ("CUI/CIF", lambda c: c.cui),
    ("VAT payer", lambda c: "yes" if c.vat_payer else "no"),
    ("VAT regime", lambda c: c.get_vat_regime_display()),
    ("Reg. Com.", lambda c: c.reg_com),
    ("Street", lambda c: c.street),
    ("City", lambda c: c.city),
    ("County code", lambda c: c.county),
    ("Sector", lambda c: c.get_sector_display() if c.sector else ""),
    ("Postal code", lambda c: c.postal_code),
    ("IBAN", lambda c: c.iban),
    ("Bank", lambda c: c.bank_name),
    ("Email", lambda c: c.email),
    ("Phone", lambda c: c.phone),
    ("Website", lambda c: c.website),
    ("Currency", lambda c: c.currency),
    ("Group", lambda c: c.group.name if c.group else ""),
    ("Account owner", lambda c: str(c.owner) if c.owner else ""),
    ("Active", lambda c: "yes" if c.active else "no"),
    ("Created", lambda c: local_moment(c.created_at)),
]

CLIENTS = Export("Clients", COLUMNS)
