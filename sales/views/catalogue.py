"""Sales → Items: the catalogue, its item groups, and the item lookups of the line editor
(autocomplete and the client's price)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crmconnect.core.exports import Export, local_moment
from crmconnect.core.pages import form_methods, form_page, posted
from crmconnect.core.pagination import paginate

from ..filters import ItemFilter
from ..forms.catalogue import ItemForm, ItemGroupForm, QuoteForm
from ..models import Item, ItemGroup
from ..pricing import quote
from ..services import catalogue as services

PER_PAGE = 50
AUTOCOMPLETE_LIMIT = 20
FILTER_IGNORED = {"page", "o"}


def decimal_text(value):
    """A price or rate for JSON and exports: at least two decimals, more only when it has
    them (12.50, 0.1234, 21.00)."""
    return f"{value:.2f}" if value == round(value, 2) else f"{value.normalize():f}"


def _filtered(request):
    queryset = Item.objects.select_related("group", "vat_rate")
    return ItemFilter(request.GET, queryset=queryset, request=request)


ITEMS = Export("Items", [
    ("Code", lambda i: i.code),
    ("Name", lambda i: i.name),
    ("Group", lambda i: i.group.name if i.group else ""),
    ("Unit", lambda i: i.unit),
    ("Unit price", lambda i: decimal_text(i.unit_price)),
    ("Currency", lambda i: i.currency),
    ("VAT %", lambda i: decimal_text(i.vat_rate.rate)),
    ("Purchase price", lambda i: decimal_text(i.purchase_price) if i.purchase_price is not None
     else ""),
    ("Active", lambda i: "yes" if i.active else "no"),
    ("Description", lambda i: i.description),
    ("Updated", lambda i: local_moment(i.updated_at)),
])


# --- items -------------------------------------------------------------------------------

@require_GET
@permission_required("sales.view_item", raise_exception=True)
def item_list(request):
    filterset = _filtered(request)
    return render(request, "sales/catalogue/item_list.html", {
        "filter": filterset,
        "page_obj": paginate(request, filterset.qs, PER_PAGE),
        "filtered": any(value for key, value in request.GET.items()
                        if key not in FILTER_IGNORED),
    })


@require_GET
@permission_required("sales.view_item", raise_exception=True)
def item_export(request):
    response = ITEMS.response(_filtered(request).qs, request.GET.get("format", "csv"))
    return response or HttpResponseBadRequest("Unknown export format: use csv or xlsx.")


OBJECT_FORM = "sales/catalogue/object_form.html"


def _item_form_page(request, item, save):
    context = {"title": f"Edit item {item.code}" if item else "Add item",
               "crumbs": [("Items", reverse("sales:items"))],
               "cancel_url": reverse("sales:items")}
    if item and request.user.has_perm("sales.delete_item"):
        context["delete_url"] = reverse("sales:item_delete", args=[item.pk])
        context["delete_confirm"] = (f"Delete item “{item}”? Proposals and orders keep their "
                                     "copy of it; its price-list prices are removed.")
    return form_page(request, ItemForm(posted(request), instance=item), OBJECT_FORM, context,
                     save)


@form_methods
@permission_required("sales.add_item", raise_exception=True)
def item_create(request):
    def save(data):
        item = services.item_create(actor=request.user, **data)
        messages.success(request, f"Item “{item}” added.")
        return redirect("sales:items")

    return _item_form_page(request, None, save)


@form_methods
@permission_required("sales.change_item", raise_exception=True)
def item_edit(request, pk):
    item = get_object_or_404(Item, pk=pk)

    def save(data):
        services.item_update(actor=request.user, item=item, **data)
        messages.success(request, f"Item “{data['code']} — {data['name']}” saved.")
        return redirect("sales:items")

    return _item_form_page(request, item, save)


@require_POST
@permission_required("sales.delete_item", raise_exception=True)
def item_delete(request, pk):
    item = get_object_or_404(Item, pk=pk)
    services.item_delete(actor=request.user, item=item)
    messages.success(request, f"Item “{item}” deleted. Proposals and orders keep their copy of "
                              "it; its price-list prices were removed.")
    return redirect("sales:items")


# --- item groups -------------------------------------------------------------------------

@require_GET
@permission_required("sales.view_itemgroup", raise_exception=True)
def item_group_list(request):
    groups = ItemGroup.objects.annotate(item_count=Count("items")).order_by("name")
    return render(request, "sales/catalogue/group_list.html",
                  {"page_obj": paginate(request, groups, PER_PAGE)})


def _group_form_page(request, group, title, save):
    form = ItemGroupForm(posted(request), instance=group)
    return form_page(request, form, OBJECT_FORM, {
        "title": title, "cancel_url": reverse("sales:item_groups"),
        "crumbs": [("Items", reverse("sales:items")),
                   ("Item groups", reverse("sales:item_groups"))]}, save)


@form_methods
@permission_required("sales.add_itemgroup", raise_exception=True)
def item_group_create(request):
    def save(data):
        group = services.item_group_create(actor=request.user, **data)
        messages.success(request, f"Item group “{group}” added.")
        return redirect("sales:item_groups")

    return _group_form_page(request, None, "Add item group", save)


@form_methods
@permission_required("sales.change_itemgroup", raise_exception=True)
def item_group_edit(request, pk):
    group = get_object_or_404(ItemGroup, pk=pk)

    def save(data):
        services.item_group_update(actor=request.user, group=group, **data)
        messages.success(request, f"Item group “{data['name']}” saved.")
        return redirect("sales:item_groups")

    return _group_form_page(request, group, f"Edit item group {group}", save)


@require_POST
@permission_required("sales.delete_itemgroup", raise_exception=True)
def item_group_delete(request, pk):
    group = get_object_or_404(ItemGroup, pk=pk)
    services.item_group_delete(actor=request.user, group=group)
    messages.success(request, f"Item group “{group}” deleted; its items have no group now.")
    return redirect("sales:item_groups")


# --- lookups for the line editor ---------------------------------------------------------

@require_GET
@permission_required("sales.view_item", raise_exception=True)
def items_autocomplete(request):
    """Up to 20 active items whose code starts with, or whose name contains, ?q=."""
    text = request.GET.get("q", "").strip()
    items = Item.objects.filter(active=True).select_related("vat_rate").order_by("name", "pk")
    if text:
        items = items.filter(Q(code__istartswith=text) | Q(name__icontains=text))
    return JsonResponse([{
        "id": item.pk, "code": item.code, "name": item.name, "unit": item.unit,
        "unit_price": decimal_text(item.unit_price), "currency": item.currency,
        "vat_rate": decimal_text(item.vat_rate.rate), "vat_category": item.vat_rate.category,
    } for item in items[:AUTOCOMPLETE_LIMIT]], safe=False)


@require_GET
@permission_required("sales.view_item", raise_exception=True)
def item_quote(request):
    """What the client pays for the item at that quantity, and where the price comes from."""
    form = QuoteForm(request.GET, user=request.user)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    item = form.cleaned_data["item"]
    result = quote(item=item, client=form.cleaned_data["client"],
                   quantity=form.cleaned_data["quantity"],
                   currency=form.cleaned_data["currency"] or None)
    description = f"{item.name}\n{item.description}" if item.description else item.name
    return JsonResponse({
        "description": description, "unit": item.unit,
        "unit_price": decimal_text(result.unit_price),
        "discount_percent": decimal_text(result.discount_percent),
        "vat_rate": decimal_text(item.vat_rate.rate), "vat_category": item.vat_rate.category,
        "price_source": result.source,
    })

