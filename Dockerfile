# The MSKG API. Neo4j runs as its own service (see docker-compose.yml) or is reached via NEO4J_URI.

# The web workspace's scripts, styles and font, from npm (web/package-lock.json).
FROM node:20-slim AS assets
WORKDIR /web
COPY web/package.json web/package-lock.json web/.npmrc web/copy-assets.sh ./
RUN npm ci --no-audit --no-fund && bash copy-assets.sh /vendor

FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MSKG_HOST=0.0.0.0 \
    MSKG_PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY mskg ./mskg
COPY config ./config
COPY graph ./graph
COPY api ./api
COPY --from=assets /vendor ./api/web/static/vendor
COPY ontology ./ontology
COPY loaders ./loaders
COPY neo4j_local ./neo4j_local
COPY sparql_local ./sparql_local
RUN pip install . && useradd --system --uid 10001 mskg
USER mskg

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["mskg", "serve"]
