"""The HTTP API (FastAPI): back-office automation and managers over the application layer `safeguarding.service`.

Routes are thin: a credential becomes a `Principal` (`identity`), the body a typed request model, and the
use case does the rest; its domain errors become `application/problem+json` answers (`problems`); every
POST honours an `Idempotency-Key` (`idempotency`). `create_app` builds the app over given `Services`, or
over the environment's when it starts.
"""

CODEC_PATH = "/codec"
"""Where the codec server's routes live (`routes.codec`): the Web UI's and the CLI's codec endpoint is the API's
address with this path. Here, so `make run` can name it to the dev server without loading the app."""
