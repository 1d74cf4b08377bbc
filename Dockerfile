# The worker image for docker-compose.yml: the project installed within constraints.txt, run as `python -m worker`.
# The console's GOV.UK and MoJ assets come from the npm registry at exactly package-lock.json's versions.
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml constraints.txt README.md worker.py alembic.ini ./
COPY safeguarding ./safeguarding
COPY workflows ./workflows
COPY activities ./activities
COPY starter ./starter
COPY profiles ./profiles
COPY --from=assets /assets/node_modules ./node_modules
RUN pip install . -c constraints.txt \
    && useradd --system --uid 10001 --no-create-home safeguarding

USER safeguarding
ENV SAFEGUARDING_ENVIRONMENT=production \
    SAFEGUARDING_PROFILE_PATH=/app/profiles/example.toml \
    SAFEGUARDING_CONSOLE_ASSETS=/app/node_modules \
    SAFEGUARDING_DATA_DIR=/tmp/safeguarding
# SIGINT lets asyncio cancel the worker, which finishes its running tasks before it exits.
STOPSIGNAL SIGINT
CMD ["python", "-m", "worker"]
