# CI builds FROM a local Debian image with Python 3.11 when it cannot pull this one.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scrapers ./scrapers
COPY migrations ./migrations
RUN pip install --disable-pip-version-check . \
    && useradd --create-home --uid 10001 sambilan \
    && mkdir -p /data && chown sambilan /data

USER sambilan
WORKDIR /data
# SQLite lives in /data unless SAMBILAN_DATABASE__URL points at PostgreSQL.
ENV SAMBILAN_DATABASE__URL=sqlite+aiosqlite:////data/sambilan.db \
    SAMBILAN_SERVER__HOST=0.0.0.0 \
    SAMBILAN_SERVER__PORT=8080
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=4).status == 200 else 1)"]

CMD ["sambilan", "run"]
