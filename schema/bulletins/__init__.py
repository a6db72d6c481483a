"""Learning-status bulletins (学情通报): the GraphQL types, inputs, queries and mutations."""
