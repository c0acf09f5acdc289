"""Token authentication that reads the user's roles in the same query.

Every API request checks a role (complaints.access); DRF's TokenAuthentication reads the
token and its user, and the role check then asked for the user's groups: two queries per
request where one does.
"""

import functools

from django.db import connection
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from rest_framework.authentication import TokenAuthentication

from .. import access

# The user's group names, comma-joined, as a correlated subquery on the token's row.
# Written out rather than built with the ORM: building that subquery on every request
# cost more than running it.
_GROUP_NAMES = (
    "SELECT {join}(g.name, ',') FROM auth_group g "
    "JOIN auth_user_groups ug ON ug.group_id = g.id "
    "WHERE ug.user_id = authtoken_token.user_id"
)


@functools.cache
def _tokens(model, vendor):
    """Tokens with their user and the user's group names; built once, filtered per request."""
    join = "STRING_AGG" if vendor == "postgresql" else "GROUP_CONCAT"
    names = RawSQL(_GROUP_NAMES.format(join=join), [], output_field=CharField())  # noqa: S611 - fixed text
    return model.objects.select_related("user").annotate(group_names=names)


class TokenWithRolesAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        token = next(iter(_tokens(self.get_model(), connection.vendor).filter(key=key)[:1]), None)
        if token is None or not token.user.is_active:
            # DRF's own check refuses it, with its own words.
            return super().authenticate_credentials(key)
        access.remember_groups(token.user, token.group_names.split(",") if token.group_names else ())
        return (token.user, token)
