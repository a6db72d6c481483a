"""What a document selects under a field (strawberry's `info.selected_fields`), for resolvers
that read more in one statement, or less, by what will be shown."""

from collections.abc import Sequence

from strawberry.types.nodes import SelectedField, Selection


def selects(selections: Sequence[Selection], path: tuple[str, ...]) -> bool:
    """Whether the selections reach the path of field names (through fragments too)."""
    for selection in selections:
        if not isinstance(selection, SelectedField):
            if selects(selection.selections, path):
                return True
        elif selection.name == path[0] and (
            len(path) == 1 or selects(selection.selections, path[1:])
        ):
            return True
    return False
