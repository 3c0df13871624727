# Inventory reservation service: a runtime image around the runnable (shaded) jar.
#
# Build the jar first, then the image (docker compose does the second step with `up --build`):
#   mvn package
#   docker build -t inventory-service:latest .
#
# Configuration comes from environment variables, optionally over a properties file named by CONFIG_FILE;
# the profiles in config/ are copied to /app/config (docker-compose.yml uses /app/config/production.properties).

FROM eclipse-temurin:17-jre

# curl for the container health check (GET /health/ready in docker-compose.yml). The base image happens to
# ship curl today, but newer Temurin images dropped it, so install it explicitly rather than rely on that.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# Run as an unprivileged user. The Kafka Streams state directory (STATE_DIR) is created here and owned by that
# user, so a named volume mounted over it starts with the right owner.
RUN groupadd --system inventory \
    && useradd --system --gid inventory --home-dir /app --no-create-home --shell /usr/sbin/nologin inventory \
    && mkdir -p /app/config /var/lib/inventory \
    && chown inventory:inventory /var/lib/inventory

WORKDIR /app
COPY target/inventory-service.jar /app/inventory-service.jar
COPY config/ /app/config/

ENV STATE_DIR=/var/lib/inventory \
    HTTP_PORT=8080
VOLUME ["/var/lib/inventory"]

USER inventory
EXPOSE 8080

# Exec form: the JVM is PID 1 and receives SIGTERM, so Kafka Streams closes cleanly on `docker stop`.
# MaxRAMPercentage sizes the heap from the container's memory limit; RocksDB state stores use off-heap memory
# beyond it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/inventory-service.jar"]
