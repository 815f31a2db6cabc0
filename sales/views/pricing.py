"""Sales → Prices: price lists with their volume tiers and client-group assignments, discount
groups with their rates per item group, and the client record's "Pricing" tab."""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.clients.models import Client
from crmconnect.core.pages import action_result, form_methods, form_page, posted
from crmconnect.core.pagination import paginate

from ..forms.catalogue import ITEM_OPTIONS_ID
from ..forms.pricing import (
    ClientPricingForm,
    DiscountGroupForm,
    DiscountRateForm,
    GroupAssignForm,
    PriceEntryForm,
    PriceListForm,
)
from ..models import (
    ClientPricing,
    DiscountGroup,
    DiscountRate,
    GroupPricing,
    Item,
    PriceList,
    PriceListEntry,
)
from ..pricing import client_terms
from ..services import pricing as services
from .catalogue import OBJECT_FORM

PER_PAGE = 50
CLIENTS_SHOWN = 50


def _count_of(model, link, field="pk"):
    """A subquery counting the `model` rows (distinct `field`) whose `link` is the row."""
    rows = (model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
            .annotate(n=Count(field, distinct=True)).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _price_lists_crumb():
    return [("Prices", reverse("sales:price_lists"))]


# --- price lists -------------------------------------------------------------------------

@require_GET
@permission_required("sales.view_pricelist", raise_exception=True)
def price_list_list(request):
    rows = PriceList.objects.annotate(
        item_count=_count_of(PriceListEntry, "price_list", "item"),
        client_count=_count_of(ClientPricing, "price_list"),
        group_count=_count_of(GroupPricing, "price_list"),
    ).order_by("name", "pk")
    return render(request, "sales/pricing/price_list_list.html",
                  {"page_obj": paginate(request, rows, PER_PAGE)})


@form_methods
@permission_required("sales.add_pricelist", raise_exception=True)
def price_list_create(request):
    def save(data):
        price_list = services.price_list_create(actor=request.user, **data)
        messages.success(request, f"Price list “{price_list}” added: now add its prices.")
        return redirect("sales:pricelist_detail", price_list.pk)

    return form_page(request, PriceListForm(posted(request)), OBJECT_FORM, {
        "title": "Add price list", "crumbs": _price_lists_crumb(),
        "cancel_url": reverse("sales:price_lists")}, save)


class PriceListPage:
    """What the price list page shows, read only when the page is rendered (a form posted
    from it and accepted redirects without reading it)."""

    def __init__(self, request, price_list):
        self.request, self.price_list = request, price_list

    @cached_property
    def items(self):
        """A page of the list's items, each with its tiers (`item.tiers`)."""
        tiers = self.price_list.entries.order_by("min_quantity")
        items = (Item.objects.filter(pk__in=self.price_list.entries.values("item"))
                 .order_by("name", "pk")
                 .prefetch_related(Prefetch("price_entries", queryset=tiers, to_attr="tiers")))
        return paginate(self.request, items, PER_PAGE)

    def _clients(self):
        """The clients with this list that the user may see."""
        return (Client.objects.visible_to(self.request.user)
                .filter(pricing__price_list=self.price_list).order_by("name", "pk"))

    @cached_property
    def clients(self):
        return list(self._clients()[:CLIENTS_SHOWN])

    @cached_property
    def client_count(self):
        shown = len(self.clients)
        return shown if shown < CLIENTS_SHOWN else self._clients().count()

    @cached_property
    def group_assignments(self):
        return list(self.price_list.group_assignments.select_related("group")
                    .order_by("group__name"))


DETAIL = "sales/pricing/price_list_detail.html"


def _detail_context(request, price_list, *, entry_form=None, group_form=None):
    return {"price_list": price_list, "page": PriceListPage(request, price_list),
            "entry_form": entry_form or PriceEntryForm(),
            "group_form": group_form or GroupAssignForm(),
            "item_options_id": ITEM_OPTIONS_ID}


@require_GET
@permission_required("sales.view_pricelist", raise_exception=True)
def price_list_detail(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    return render(request, DETAIL, _detail_context(request, price_list))


@form_methods
@permission_required("sales.change_pricelist", raise_exception=True)
def price_list_edit(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    detail_url = reverse("sales:pricelist_detail", args=[pk])

    def save(data):
        services.price_list_update(actor=request.user, price_list=price_list, **data)
        messages.success(request, f"Price list “{data['name']}” saved.")
        return redirect(detail_url)

    return form_page(request, PriceListForm(posted(request), instance=price_list), OBJECT_FORM, {
        "title": f"Edit price list {price_list}",
        "crumbs": [*_price_lists_crumb(), (str(price_list), detail_url)],
        "cancel_url": detail_url}, save)


@require_POST
@permission_required("sales.delete_pricelist", raise_exception=True)
def price_list_delete(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)
    services.price_list_delete(actor=request.user, price_list=price_list)
    messages.success(request, f"Price list “{price_list}” deleted. Its clients get the catalogue "
                              "prices (or their group's list); proposals already made keep "
                              "theirs.")
    return redirect("sales:price_lists")


@require_POST
@permission_required("sales.change_pricelist", raise_exception=True)
def price_entry_add(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)

    def save(data):
        entry = services.price_entry_add(actor=request.user, price_list=price_list, **data)
        messages.success(request, f"Price added: {entry}.")
        return redirect(f"{reverse('sales:pricelist_detail', args=[pk])}#add-price")

    form = PriceEntryForm(request.POST)
    return form_page(request, form, DETAIL,
                     _detail_context(request, price_list, entry_form=form), save)


@require_POST
@permission_required("sales.change_pricelist", raise_exception=True)
def price_entry_delete(request, pk):
    entry = get_object_or_404(PriceListEntry.objects.select_related("price_list", "item"), pk=pk)
    return action_result(
        request, lambda: services.price_entry_delete(actor=request.user, entry=entry),
        success=f"Price removed: {entry}.",
        redirect_to=reverse("sales:pricelist_detail", args=[entry.price_list_id]))


@require_POST
@permission_required("sales.change_pricelist", raise_exception=True)
def price_list_assign_group(request, pk):
    price_list = get_object_or_404(PriceList, pk=pk)

    def save(data):
        services.price_list_assign_group(actor=request.user, price_list=price_list, **data)
        messages.success(request, f"Clients of “{data['group']}” without a list of their own now "
                                  f"get the prices of “{price_list}”.")
        return redirect("sales:pricelist_detail", pk)

    form = GroupAssignForm(request.POST)
    return form_page(request, form, DETAIL,
                     _detail_context(request, price_list, group_form=form), save)


@require_POST
@permission_required("sales.change_pricelist", raise_exception=True)
def price_list_unassign_group(request, pk):
    assignment = get_object_or_404(GroupPricing.objects.select_related("group", "price_list"),
                                   pk=pk)
    return action_result(
        request, lambda: services.price_list_unassign_group(actor=request.user,
                                                            assignment=assignment),
        success=f"Client group “{assignment.group}” no longer uses “{assignment.price_list}”.",
        redirect_to=reverse("sales:pricelist_detail", args=[assignment.price_list_id]))


# --- discount groups ---------------------------------------------------------------------

def _discount_groups_crumb():
    return [("Prices", reverse("sales:price_lists")),
            ("Discount groups", reverse("sales:discount_groups"))]


@require_GET
@permission_required("sales.view_discountgroup", raise_exception=True)
def discount_group_list(request):
    rates = DiscountRate.objects.select_related("item_group")
    rows = (DiscountGroup.objects.annotate(client_count=_count_of(ClientPricing,
                                                                  "discount_group"))
            .prefetch_related(Prefetch("rates", queryset=rates)).order_by("name", "pk"))
    return render(request, "sales/pricing/discount_group_list.html",
                  {"page_obj": paginate(request, rows, PER_PAGE)})


@form_methods
@permission_required("sales.add_discountgroup", raise_exception=True)
def discount_group_create(request):
    def save(data):
        group = services.discount_group_create(actor=request.user, **data)
        messages.success(request, f"Discount group “{group}” added: now set its rates.")
        return redirect("sales:discount_group_edit", group.pk)

    return form_page(request, DiscountGroupForm(posted(request)), OBJECT_FORM, {
        "title": "Add discount group", "crumbs": _discount_groups_crumb(),
        "cancel_url": reverse("sales:discount_groups")}, save)


DISCOUNT_GROUP_EDIT = "sales/pricing/discount_group_edit.html"


def _discount_group_context(group, *, form=None, rate_form=None):
    """The edit page: the group's own form, its rates and the form to set a rate."""
    return {"group": group, "form": form or DiscountGroupForm(instance=group),
            "rates": group.rates.select_related("item_group"),
            "rate_form": rate_form or DiscountRateForm(),
            "crumbs": _discount_groups_crumb()}


@form_methods
@permission_required("sales.change_discountgroup", raise_exception=True)
def discount_group_edit(request, pk):
    group = get_object_or_404(DiscountGroup, pk=pk)

    def save(data):
        services.discount_group_update(actor=request.user, discount_group=group, **data)
        messages.success(request, f"Discount group “{data['name']}” saved.")
        return redirect("sales:discount_groups")

    form = DiscountGroupForm(posted(request), instance=group)
    return form_page(request, form, DISCOUNT_GROUP_EDIT,
                     _discount_group_context(group, form=form), save)


@require_POST
@permission_required("sales.delete_discountgroup", raise_exception=True)
def discount_group_delete(request, pk):
    group = get_object_or_404(DiscountGroup, pk=pk)
    services.discount_group_delete(actor=request.user, discount_group=group)
    messages.success(request, f"Discount group “{group}” deleted; its clients keep their price "
                              "lists, without the discount.")
    return redirect("sales:discount_groups")


@require_POST
@permission_required("sales.change_discountgroup", raise_exception=True)
def discount_rate_add(request, pk):
    group = get_object_or_404(DiscountGroup, pk=pk)

    def save(data):
        rate = services.discount_rate_set(actor=request.user, discount_group=group, **data)
        messages.success(request, f"Discount set: {rate}.")
        return redirect("sales:discount_group_edit", pk)

    form = DiscountRateForm(request.POST)
    return form_page(request, form, DISCOUNT_GROUP_EDIT,
                     _discount_group_context(group, rate_form=form), save)


@require_POST
@permission_required("sales.change_discountgroup", raise_exception=True)
def discount_rate_delete(request, pk):
    rate = get_object_or_404(DiscountRate.objects.select_related("discount_group", "item_group"),
                             pk=pk)
    return action_result(
        request, lambda: services.discount_rate_delete(actor=request.user, rate=rate),
        success=f"Discount removed: {rate}.",
        redirect_to=reverse("sales:discount_group_edit", args=[rate.discount_group_id]))


# --- a client's pricing ------------------------------------------------------------------

def _client_pricing(client):
    return ClientPricing.objects.select_related("price_list", "discount_group").filter(
        client=client).first()


def client_pricing_context(request, client):
    """The client record's "Pricing" tab: the list that applies (client list > group list >
    catalogue), the discount group with its rates, and the form for who may change them."""
    pricing = _client_pricing(client)
    terms = client_terms(client)
    may_change = request.user.has_perm("sales.change_clientpricing")
    return {
        "pricing": pricing,
        "terms": terms,
        "discount_rates": (terms.discount_group.rates.select_related("item_group")
                           if terms.discount_group else []),
        "pricing_form": ClientPricingForm(pricing=pricing) if may_change else None,
    }


@form_methods
@permission_required("sales.change_clientpricing", raise_exception=True)
def client_pricing(request, pk):
    """The tab's form posts here; shown on its own page only when refused."""
    client = get_object_or_404(Client.objects.visible_to(request.user), pk=pk)
    tab_url = f"{client.get_absolute_url()}#pricing"

    def save(data):
        services.client_pricing_set(actor=request.user, client=client, **data)
        messages.success(request, f"Pricing of “{client.name}” saved.")
        return redirect(tab_url)

    form = ClientPricingForm(posted(request), pricing=_client_pricing(client))
    return form_page(request, form, "sales/pricing/client_pricing_form.html",
                     {"client": client, "cancel_url": tab_url}, save)
