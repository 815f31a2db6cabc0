from django.shortcuts import render
from django.views.decorators.http import require_GET

from .navigation import allowed, dashboard_widgets, search_providers

SEARCH_LIMIT = 8


@require_GET
def dashboard(request):
    return render(request, "core/dashboard.html",
                  {"widgets": list(dashboard_widgets.visible(request))})


@require_GET
def search(request):
    """Header search: a dropdown of matches (htmx) or the full results page."""
    query = request.GET.get("q", "").strip()
    groups = []
    if len(query) >= 2:
        for provider in search_providers:
            if allowed(request.user, provider.permissions):
                rows = list(provider.search(request.user, query)[: SEARCH_LIMIT + 1])
                groups.append({"label": provider.label, "rows": rows[:SEARCH_LIMIT],
                               "more": len(rows) > SEARCH_LIMIT})
    template = "core/_search_results.html" if request.htmx else "core/search.html"
    return render(request, template, {"query": query, "groups": groups})
