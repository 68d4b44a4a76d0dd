# The API image: `tailor.mode=api` answers HTTP and hands builds to the workers over RabbitMQ, so it needs no
# compilers. For the all-in-one embedded mode use compiler-workers/Dockerfile, which has the toolchains too.
# Build from the repository root: docker build -t tailor-api .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
RUN mvn -B -q -Dmaven.test.skip=true dependency:go-offline
COPY src src
COPY compiler-workers compiler-workers
RUN mvn -B -q -Dmaven.test.skip=true package && cp target/tailor-*.jar /tailor.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/tailor --create-home tailor
COPY --from=build /tailor.jar /opt/tailor/tailor.jar
USER tailor
WORKDIR /var/lib/tailor
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
ENV TAILOR_DATADIR=/var/lib/tailor
ENTRYPOINT ["java", "-jar", "/opt/tailor/tailor.jar"]
ENV TAILOR_MODE=api
