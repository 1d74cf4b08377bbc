# The worker image for docker-compose.yml: the project installed within constraints.txt, run as `python -m worker`.
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
RUN pip install . -c constraints.txt \
    && useradd --system --uid 10001 --no-create-home safeguarding

USER safeguarding
ENV SAFEGUARDING_ENVIRONMENT=production \
    SAFEGUARDING_PROFILE_PATH=/app/profiles/example.toml \
    SAFEGUARDING_DATA_DIR=/tmp/safeguarding
# SIGINT lets asyncio cancel the worker, which finishes its running tasks before it exits.
STOPSIGNAL SIGINT
CMD ["python", "-m", "worker"]
