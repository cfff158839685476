from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from pyithu.accounts.roles import permissions_for


class HandleRoleBackend(ModelBackend):
    """Handles are case-insensitive; permissions come from active role grants too."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        handle = kwargs.get("handle", username)
        return super().authenticate(
            request, username=(handle or "").strip().lower(), password=password
        )

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        perms = set(super().get_group_permissions(user_obj, obj))
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return perms
        if not hasattr(user_obj, "_role_perm_cache"):
            roles = set(
                user_obj.role_grants.filter(revoked_at__isnull=True).values_list("role", flat=True)
            )
            user_obj._role_perm_cache = permissions_for(roles)
        return perms | user_obj._role_perm_cache
