"""What each staff role may do, as Django permissions ("app_label.codename").

Each service app adds the permissions of its own models for the roles it uses by calling
``grant_permissions`` from its ``AppConfig.ready``; accounts never imports those apps.
"""

from __future__ import annotations

from collections import defaultdict

from pyithu.accounts.models import Role

ROLE_PERMISSIONS: dict[str, set[str]] = defaultdict(set)

# Ministry a role belongs to when none is given (an operator or auditor must be explicit).
DEFAULT_MINISTRY = {
    Role.DOCTOR: "health",
    Role.CLINIC_COORDINATOR: "health",
    Role.TEACHER: "education",
    Role.SCHOOL_ADMIN: "education",
    Role.EXAM_OFFICER: "education",
    Role.BANK_OFFICER: "finance",
    Role.AGENT: "finance",
}


def grant_permissions(role: str, *perms: str) -> None:
    ROLE_PERMISSIONS[role].update(perms)


def permissions_for(roles: set[str]) -> set[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS.get(role, set())
    return out


grant_permissions(
    Role.OPERATOR,
    "geo.view_stateregion",
    "geo.add_stateregion",
    "geo.change_stateregion",
    "geo.view_district",
    "geo.add_district",
    "geo.change_district",
    "geo.view_township",
    "geo.add_township",
    "geo.change_township",
    "portal.view_ministry",
    "portal.change_ministry",
    "portal.view_service",
    "portal.add_service",
    "portal.change_service",
    "accounts.view_user",
    "accounts.view_rolegrant",
)
grant_permissions(Role.AUDITOR, "core.view_auditentry", "accounts.view_rolegrant")
