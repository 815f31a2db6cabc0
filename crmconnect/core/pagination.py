"""Pagination that stays fast on large tables.

Django's Paginator counts every matching row on every page. CappedPaginator counts at most
`count_cap` rows (a LIMITed subquery): past that the page shows "10,000+" and the last-page
link is dropped, while page navigation by number still works."""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    count_cap = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.count_cap + 1].count()

    @property
    def capped(self):
        return self.count > self.count_cap

    def validate_number(self, number):
        if self.capped:
            try:
                number = int(number)
            except (TypeError, ValueError):
                number = 1
            return max(number, 1)
        return super().validate_number(number)


def paginate(request, queryset, per_page=25):
    """The current page of `queryset` for ?page=N, with the query string kept for links."""
    paginator = CappedPaginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.querystring = params.urlencode()
    return page
