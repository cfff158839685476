from django.http import HttpRequest
from ninja import Router, Schema

from pyithu.accounts.api_auth import ApiTokenAuth

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    ministry: str
    unit: str


class MeOut(Schema):
    handle: str
    is_staff: bool
    roles: list[RoleOut]


@router.get("/me", response=MeOut, auth=ApiTokenAuth(), summary="The account behind the token")
def me(request: HttpRequest) -> dict:
    user = request.auth
    grants = user.role_grants.filter(revoked_at__isnull=True).values("role", "ministry", "unit")
    return {"handle": user.handle, "is_staff": user.is_staff, "roles": list(grants)}
