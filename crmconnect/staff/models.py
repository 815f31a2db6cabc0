from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    leader = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams_led"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("staff:team_edit", args=[self.pk])


class User(AbstractUser):
    """A member of staff. Roles are Django groups (see `staff.roles`); a user has one team."""

    email = models.EmailField("email address", unique=True)
    phone = models.CharField(max_length=40, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    class Meta(AbstractUser.Meta):
        ordering = ["first_name", "last_name", "username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("staff:user_edit", args=[self.pk])

    @property
    def role_names(self):
        return ", ".join(group.name for group in self.groups.all())
