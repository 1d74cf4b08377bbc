"""The API's routes, one module per resource; each route's docstring is its description in the OpenAPI document."""
