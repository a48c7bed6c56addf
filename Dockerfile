# hr-sandbox: one static binary in an empty image.
# Build: docker build -t hr-sandbox .   Run: docker run --rm -p 8080:8080 hr-sandbox

FROM rust:1.95-alpine AS build
# The Alpine toolchain targets musl and links statically, so the binary runs FROM scratch.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY fixtures ./fixtures
RUN cargo build --release --locked --bin hr-sandbox \
    && cp target/release/hr-sandbox /hr-sandbox

FROM scratch
COPY --from=build /hr-sandbox /hr-sandbox
COPY scenarios /scenarios
# The admin API answers any Host in the container: requests arrive by the service or host name
# the CI job gives it. Set HR_SANDBOX_ADMIN_TOKEN when the port is reachable by others.
ENV HR_SANDBOX_HOST=0.0.0.0 \
    HR_SANDBOX_PORT=8080 \
    HR_SANDBOX_LOG_FORMAT=json \
    HR_SANDBOX_SCENARIOS_DIR=/scenarios \
    HR_SANDBOX_ADMIN_HOSTS=*
USER 65534:65534
EXPOSE 8080
# No shell in the image: the binary probes itself.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["/hr-sandbox", "healthcheck"]
ENTRYPOINT ["/hr-sandbox"]
CMD ["serve"]
