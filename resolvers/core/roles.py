"""Every change of role assignments goes through `change_role_assignments`.

Who may change what is the use cases' business (resolvers/organisation); this is where the rows
are written, so that whatever depends on a person's grants (a viewer cached per token) is told
in one place.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import RoleAssignment


@dataclass(frozen=True)
class Grant:
    """A role to give a person, with its scope (one of region, school, vendor, per the role)."""

    person_id: int
    role: Role
    region_id: int | None = None
    school_id: int | None = None
    vendor_id: int | None = None


@dataclass(frozen=True)
class Revoke:
    assignment: RoleAssignment


async def change_role_assignments(changes: Sequence[Grant | Revoke]) -> list[RoleAssignment]:
    """Writes the changes in order, inside the caller's transaction; answers the new rows."""
    granted: list[RoleAssignment] = []
    for change in changes:
        if isinstance(change, Revoke):
            await change.assignment.delete()
        else:
            granted.append(
                await RoleAssignment.create(
                    person_id=change.person_id,
                    role=change.role,
                    region_id=change.region_id,
                    school_id=change.school_id,
                    vendor_id=change.vendor_id,
                )
            )
    return granted
