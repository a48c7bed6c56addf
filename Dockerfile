# hr-sandbox: one static binary in an empty image.
#
# From source (pulls rust:1.95-alpine):
#   docker build -t hr-sandbox .
# Offline, from a static binary built on the host (nothing is pulled; podman build works alike):
#   CC_x86_64_unknown_linux_musl=musl-gcc tools/build-dist --target x86_64-unknown-linux-musl
#   mkdir -p dist/state && cp target/x86_64-unknown-linux-musl/dist/hr-sandbox dist/
#   docker build --build-context build=dist -t hr-sandbox .
# The named build context `build` replaces the build stage: `COPY --from=build` then takes
# dist/hr-sandbox and the empty dist/state. Run: docker run --rm -p 8080:8080 -e HR_SANDBOX_ADMIN_TOKEN="$TOKEN" hr-sandbox
# State that outlives the container (issue 27): a named volume on /state, and the flag pointing there:
#   docker run --rm -p 8080:8080 -v hr-sandbox-state:/state -e HR_SANDBOX_STATE_DIR=/state hr-sandbox

FROM rust:1.95-alpine AS build
# The Alpine toolchain targets musl and links statically, so the binary runs FROM scratch;
# gcc builds ring's C and assembly (rustls' cryptography); bash, python3 and llvm-tools run the
# profile-guided build's training and merge its profile.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev gcc bash python3 \
    && rustup component add llvm-tools
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY fixtures ./fixtures
COPY tools/build-dist tools/pgo_train.py ./tools/
# The published binary (tools/build-dist): the `dist` profile (fat LTO, one codegen unit),
# optimised with the profile of a training run. /state: the empty state directory the final
# stage copies with its owner (no shell there to mkdir).
RUN tools/build-dist \
    && cp target/x86_64-unknown-linux-musl/dist/hr-sandbox /hr-sandbox \
    && mkdir /state

FROM scratch
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="hr-sandbox" \
      org.opencontainers.image.description="A local, stateful, deterministic sandbox of HR and workforce vendor APIs" \
      org.opencontainers.image.source="https://github.com/hr-sandbox/hr-sandbox" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /hr-sandbox /hr-sandbox
# Owned by the user the server runs as, so --state-dir /state is writable; a new named volume
# mounted there takes this owner (a bind-mounted host directory keeps its own: chown it to 65534).
COPY --from=build --chown=65534:65534 /state /state
COPY scenarios /scenarios
# The admin API answers any Host in the container: requests arrive by the service or host name
# the CI job gives it. Web pages of other sites are still refused (Origin), but a DNS-rebinding
# page's reads are stopped only by a token: run with -e HR_SANDBOX_ADMIN_TOKEN=... (the
# HEALTHCHECK reads it too; the server warns at start without one).
# One access-log line per request, without colours: what a CI log wants.
ENV HR_SANDBOX_HOST=0.0.0.0 \
    HR_SANDBOX_PORT=8080 \
    HR_SANDBOX_LOG_FORMAT=json \
    HR_SANDBOX_ACCESS_LOG=true \
    HR_SANDBOX_SCENARIOS_DIR=/scenarios \
    HR_SANDBOX_ADMIN_HOSTS=*
USER 65534:65534
# Where state is kept when HR_SANDBOX_STATE_DIR=/state is given (without it, in memory only).
VOLUME /state
EXPOSE 8080
# No shell in the image: the binary probes itself.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["/hr-sandbox", "healthcheck"]
ENTRYPOINT ["/hr-sandbox"]
CMD ["serve"]
