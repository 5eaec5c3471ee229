# Multi-stage build: dependencies from the lockfile in a builder, a slim non-root runtime.
FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /opt/venv && /opt/venv/bin/pip install uv==0.13.8
COPY requirements.lock pyproject.toml README.md ./
RUN /opt/venv/bin/uv pip sync --python /opt/venv/bin/python requirements.lock
COPY service ./service
COPY checks ./checks
COPY nlp ./nlp
COPY integrations ./integrations
COPY migrations ./migrations
RUN /opt/venv/bin/uv pip install --python /opt/venv/bin/python --no-deps .

FROM python:3.11-slim AS runtime
RUN useradd --system --create-home --uid 10001 inge
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    INGE_DATA_DIR=/data
COPY --from=builder /opt/venv /opt/venv
# Migrations are found next to the installed `service` package's parent folder.
COPY --from=builder /app/migrations /opt/venv/lib/python3.11/site-packages/migrations
RUN mkdir -p /data && chown inge:inge /data
USER inge
WORKDIR /home/inge
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["inge", "web", "--host", "0.0.0.0", "--port", "8000"]
