"""The HTTP API (FastAPI): back-office automation and managers over the application layer `safeguarding.service`.

Routes are thin: a credential becomes a `Principal` (`identity`), the body a typed request model, and the
use case does the rest; its domain errors become `application/problem+json` answers (`problems`); every
POST honours an `Idempotency-Key` (`idempotency`). `create_app` builds the app over given `Services`, or
over the environment's when it starts.
"""
