# The interactive atlas in one container: one Streamlit server on port 8501.
# Several replicas behind a reverse proxy with sticky sessions: see deploy/README.md.
FROM python:3.11-slim

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# The caches the app reads (GeoNames index, the joined bundled records) are built into the image,
# so a new replica's first visitor does not wait for them. They never hold a visitor's data.
ENV ATLAS_CACHE_DIR=/app/.cache/migration-atlas
RUN python -m geo prepare

# Two allocator arenas for all the script threads, from the process's start (the app also asks glibc for this
# when its first script runs, but by then the server's own threads have opened arenas of their own): after a
# busy spell the heap shrinks back (geo/memory.py; README "Serving many people").
ENV MALLOC_ARENA_MAX=2

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() == b'ok' else 1)"]
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
