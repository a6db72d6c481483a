"""Role grants loaded before the root fields that may check them, and only those.

The viewer's grants load on first use (`resolvers/core/access.py:Viewer.role_grants`), but most
checks read them without waiting (`viewer.is_province_admin`), so every root field loads them
first, once per request, unless it is named below: fields whose whole subtree reads none
(the `viewer` field's own subfields load them where they need them, as `roles` does).
"""

import inspect
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.utils.str_converters import to_camel_case

from .context import Info

# Root fields that read no grant: the study page's entry; the study timer's writes and lists
# (the trainee's own, or their class tutor's: resolvers/study/use_cases.py:reads_enrollment);
# the clock.
GRANT_FREE = frozenset(
    {
        "viewer",
        "heartbeat",
        "startStudySession",
        "endStudySession",
        "studySessions",
        "studyLedger",
        "offlineStudyLogs",
        "serverTime",
    }
)


class LoadsGrants(FieldExtension):
    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        if info.context.viewer is not None:
            await info.context.viewer.role_grants()
        result = next_(source, info, **kwargs)
        return await result if inspect.isawaitable(result) else result


def load_grants_first(root: type) -> type:
    """Adds `LoadsGrants` to each root field not in GRANT_FREE (once); those must be async."""
    definition: StrawberryObjectDefinition = root.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        name = field.graphql_name or to_camel_case(field.python_name)
        if name in GRANT_FREE or any(isinstance(e, LoadsGrants) for e in field.extensions):
            continue  # merged types share their fields: once per field
        if not field.is_async:
            raise TypeError(f"root field {name} must be async to load the viewer's grants")
        field.extensions.append(LoadsGrants())
    return root
