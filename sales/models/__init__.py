from .catalogue import Item, ItemGroup
from .contracts import Contract, ContractLine, ContractReminder, ContractStatus, ContractType
from .orders import SalesOrder, SalesOrderLine
from .pricing import (
    ClientPricing,
    DiscountGroup,
    DiscountRate,
    GroupPricing,
    PriceList,
    PriceListEntry,
)
from .proposals import (
    Proposal,
    ProposalComment,
    ProposalLine,
    ProposalSettings,
    ProposalTemplate,
    ProposalTemplateLine,
)

__all__ = [
    "Contract", "ContractLine", "ContractReminder", "ContractStatus", "ContractType",
    "ClientPricing", "DiscountGroup", "DiscountRate", "GroupPricing", "Item", "ItemGroup",
    "PriceList", "PriceListEntry", "Proposal", "ProposalComment", "ProposalLine",
    "ProposalSettings", "ProposalTemplate", "ProposalTemplateLine", "SalesOrder",
    "SalesOrderLine",
]
