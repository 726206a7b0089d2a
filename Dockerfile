# Jiceng in one image: the package with its built-in plugins, run by `jiceng serve`.
#   docker build -t jiceng:0.1.0 .
# Settings come from JICENG_* variables (see compose.yaml) or a file named by JICENG_CONFIG.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    JICENG_PRODUCTION=true \
    JICENG_DOCUMENTS_PATH=/var/lib/jiceng/documents

# pg_dump/pg_restore for `jiceng backup` and `jiceng restore` against PostgreSQL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/jiceng jiceng

WORKDIR /opt/jiceng
COPY pyproject.toml README.md LICENSE ./
COPY core ./core
COPY plugins ./plugins
COPY migrations ./migrations
COPY config ./config
COPY graphql ./graphql
# Editable, so that config/ beside the package is the default configuration.
RUN pip install -e . && mkdir -p /var/lib/jiceng/documents && chown -R jiceng /var/lib/jiceng

USER jiceng
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["jiceng", "serve", "--host", "0.0.0.0", "--port", "8000"]
