"""The SDL is the front ends' documentation: every type, field, argument, input field and enum
value we define says what it is (GraphiQL's docs pane and code generators show it)."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)

from lms_plugin.schema.build import build_schema

# The spec's own scalars: documented by the spec (and graphql-core), not by us.
BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


def _blank(description: str | None) -> bool:
    return description is None or not description.strip()


def _own_types(schema: GraphQLSchema) -> list[GraphQLNamedType]:
    return [
        named
        for name, named in sorted(schema.type_map.items())
        if not name.startswith("__") and name not in BUILT_IN_SCALARS
    ]


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, input field and enum value without a description."""
    missing: list[str] = []
    for named in _own_types(schema):
        if _blank(named.description):
            missing.append(f"type {named.name}")
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if _blank(field.description):
                    missing.append(f"field {named.name}.{field_name}")
                for arg_name, arg in field.args.items():
                    if _blank(arg.description):
                        missing.append(f"argument {named.name}.{field_name}({arg_name}:)")
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                if _blank(input_field.description):
                    missing.append(f"input field {named.name}.{field_name}")
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                if _blank(value.description):
                    missing.append(f"enum value {named.name}.{value_name}")
        elif isinstance(named, GraphQLUnionType):
            pass  # a union has no members of its own to describe
    return missing


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    schema = build_schema()._schema
    assert undescribed(schema) == []


def test_the_walk_finds_what_is_undescribed() -> None:
    from graphql import build_schema as parse_sdl

    sdl = '''
        """A described type."""
        type Query {
          """Described."""
          a(x: Int): Int
          b: Colour
        }
        enum Colour { RED }
        input Filter { q: String }
        type Unused { f(y: Filter): Int }
    '''
    assert undescribed(parse_sdl(sdl)) == [
        "type Colour",
        "enum value Colour.RED",
        "type Filter",
        "input field Filter.q",
        "argument Query.a(x:)",
        "field Query.b",
        "type Unused",
        "field Unused.f",
        "argument Unused.f(y:)",
    ]


def test_relay_conventions_hold() -> None:
    """Node has `id: ID!`; a connection has edges (cursor, node) and pageInfo."""
    schema = build_schema()._schema
    node = schema.type_map["Node"]
    assert isinstance(node, GraphQLInterfaceType)
    assert str(node.fields["id"].type) == "ID!"
    page_info = schema.type_map["PageInfo"]
    assert isinstance(page_info, GraphQLObjectType)
    assert {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"} <= set(page_info.fields)
    connections = [name for name in schema.type_map if name.endswith("Connection")]
    assert connections
    for name in connections:
        connection = schema.type_map[name]
        assert isinstance(connection, GraphQLObjectType)
        assert str(connection.fields["pageInfo"].type) == "PageInfo!"
        edge = schema.type_map[name.removesuffix("Connection") + "Edge"]
        assert isinstance(edge, GraphQLObjectType)
        assert str(connection.fields["edges"].type) == f"[{edge.name}!]!"
        assert {"cursor", "node"} <= set(edge.fields)
