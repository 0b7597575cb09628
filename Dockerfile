# The mediaflow image: the distribution tarball on a Java 17 runtime. One image for every role;
# the command is the service: `docker run mediaflow:<version> ingest|transform|sink|query|init|ops ...`.
#
# No build stage: the image packages what `./mvnw -B -Pdist package -DskipTests` built, so build that first
# (docker-compose.yml's `build: .` does the same). Settings come from MEDIAFLOW_<SERVICE>_* environment
# variables (or config/<service>.properties mounted over /opt/mediaflow/config).
FROM eclipse-temurin:17.0.12_7-jre

ARG MEDIAFLOW_VERSION=0.1.0-SNAPSHOT

# ADD unpacks a local tar.gz: /opt/mediaflow-<version>/{bin,lib,config,apicurio}
ADD distribution/target/mediaflow-${MEDIAFLOW_VERSION}.tar.gz /opt/

# a user of its own, owning only the state directory (Kafka Streams state, spooled uploads)
RUN ln -s /opt/mediaflow-${MEDIAFLOW_VERSION} /opt/mediaflow \
    && useradd --system --uid 10001 --home-dir /var/lib/mediaflow --create-home --shell /usr/sbin/nologin mediaflow \
    && chown mediaflow:mediaflow /var/lib/mediaflow
USER mediaflow
WORKDIR /var/lib/mediaflow

# heap from the container's memory limit, not a fixed -Xmx2g
ENV MEDIAFLOW_JAVA_OPTS="-XX:MaxRAMPercentage=75" \
    MEDIAFLOW_TRANSFORM_STATE_DIR=/var/lib/mediaflow/transform-state

# GET /health/ready of the service this container runs (gateway port, else health.port), in bash alone
HEALTHCHECK --interval=10s --timeout=6s --start-period=60s --retries=6 CMD ["/opt/mediaflow/bin/mediaflow", "health"]

ENTRYPOINT ["/opt/mediaflow/bin/mediaflow"]
CMD ["help"]
