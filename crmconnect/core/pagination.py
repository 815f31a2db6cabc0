"""Pagination that stays fast on large tables.

Django's Paginator counts every matching row on every page. CappedPaginator counts at most
`count_cap` rows (a LIMITed subquery): past that the page shows "10000+ results" and has no
last-page link, while pages by number keep working."""

from functools import cached_property

from django.core.paginator import Page, Paginator


def capped_count(queryset, cap):
    """How many rows `queryset` has, counting no further than cap + 1 (shown as "cap+")."""
    return queryset.order_by()[: cap + 1].count()


class CappedPage(Page):
    def has_next(self):
        if self.paginator.capped:
            return len(self.object_list) == self.paginator.per_page
        return super().has_next()


class CappedPaginator(Paginator):
    count_cap = 10_000

    def __init__(self, *args, count_cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        if count_cap is not None:
            self.count_cap = count_cap

    @cached_property
    def count(self):
        return capped_count(self.object_list, self.count_cap)

    @property
    def capped(self):
        return self.count > self.count_cap

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            return max(int(number), 1)
        except (TypeError, ValueError):
            return 1

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(list(self.object_list[bottom:bottom + self.per_page]), number, self)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


def paginate(request, queryset, per_page=25, *, count_cap=None):
    """The current page of `queryset` for ?page=N, with the query string kept for links.
    `count_cap` lowers the counting limit for lists over very large tables."""
    paginator = CappedPaginator(queryset, per_page, count_cap=count_cap)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.querystring = params.urlencode()
    return page
