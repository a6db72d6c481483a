"""Every mutation needs a signed-in person, checked before its input ids are even decoded."""

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types.base import StrawberryObjectDefinition

from lms_plugin.resolvers.core.errors import NotAuthenticated

from .context import Info


class SignedIn(BasePermission):
    message = "未登录或登录已失效"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer is not None

    def on_unauthorized(self) -> None:
        raise NotAuthenticated


def require_sign_in(mutation_type: type) -> type:
    """Adds the sign-in check to each field of the merged Mutation type (once per field)."""
    definition: StrawberryObjectDefinition = mutation_type.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        if not any(isinstance(e, PermissionExtension) for e in field.extensions):
            field.extensions.append(
                PermissionExtension(permissions=[SignedIn()], use_directives=False)
            )
    return mutation_type
