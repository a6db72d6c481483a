// Starts GraphiQL against the endpoint that served the page (…/graphql), over HTTP (the API
// has no subscriptions, and /graphql no WebSocket). The query and variables live in the address (shareable links);
// headers do not, since they carry tokens.
const endpoint = window.location.origin + window.location.pathname;
const parameters = new URLSearchParams(window.location.search);

function remember(name, value) {
  if (value) parameters.set(name, value);
  else parameters.delete(name);
  history.replaceState(null, "", "?" + parameters);
}

const DEFAULT_QUERY = `# LMS plugin GraphiQL
#
# Sign in: under Headers, paste
#   {"Authorization": "Bearer <token>"}
# lms-plugin serve --demo prints tokens;
# lms-plugin token USERNAME mints one.
#
# Run: Ctrl-Enter. Complete: Ctrl-Space.
# Docs: the button at the top left.

query Viewer {
  viewer {
    person {
      username
      realName
    }
  }
}
`;

ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    // HTTP only: /graphql serves no WebSocket (the API has no subscriptions yet).
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    defaultQuery: DEFAULT_QUERY,
    query: parameters.get("q") ?? undefined,
    variables: parameters.get("variables") ?? undefined,
    onEditQuery: (query) => remember("q", query),
    onEditVariables: (variables) => remember("variables", variables),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: true,
    inputValueDeprecation: true,
  }),
);
