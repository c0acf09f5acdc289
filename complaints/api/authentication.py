"""Token authentication that reads the user's roles in the same query.

Every API request checks a role (complaints.roles); DRF's TokenAuthentication reads the
token and its user, and the role check then asked for the user's groups: two queries per
request where one does.
"""

import functools

from django.contrib.auth.models import Group
from django.db.models import Aggregate, CharField, OuterRef, Subquery
from rest_framework.authentication import TokenAuthentication

from .. import roles


class _Joined(Aggregate):
    """Group names joined with commas (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


@functools.cache
def _tokens(model):
    """Tokens with their user and the user's group names; built once, filtered per request."""
    names = (
        Group.objects.filter(user=OuterRef("user")).order_by().values("user").annotate(names=_Joined("name"))
    )
    return model.objects.select_related("user").annotate(group_names=Subquery(names.values("names")))


class TokenWithRolesAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        token = next(iter(_tokens(self.get_model()).filter(key=key)[:1]), None)
        if token is None or not token.user.is_active:
            # DRF's own check refuses it, with its own words.
            return super().authenticate_credentials(key)
        roles.remember_groups(token.user, token.group_names.split(",") if token.group_names else ())
        return (token.user, token)
