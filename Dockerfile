# modelcard-review as a GitHub Action: a static binary on an empty image.
# Build stage: musl target for a static binary; dependencies are compiled in their
# own layer, so a source change rebuilds only the crate itself.
FROM rust:1.95-alpine3.22 AS build
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
# The workspace's other member (the WebAssembly package) is named, not built.
COPY wasm/Cargo.toml ./wasm/
RUN mkdir -p src benches templates wasm/src \
    && printf 'fn main() {}\n' > src/main.rs \
    && touch src/lib.rs wasm/src/lib.rs \
    && printf 'fn main() {}\n' > benches/check.rs \
    && printf 'fn main() {}\n' > benches/server.rs \
    && cargo build --release --locked --features github \
    && rm -rf src benches
COPY templates ./templates
COPY benches ./benches
COPY src ./src
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked --features github \
    && cp target/release/modelcard-review /modelcard-review

# Final stage: nothing but the binary. HTTPS roots are built in (rustls with
# webpki-roots); no shell, no git, no package manager. No USER line: the runner mounts
# the workspace owned by its own user, and a different user could not write the
# job summary and outputs there.
FROM scratch
COPY --from=build /modelcard-review /modelcard-review
ENTRYPOINT ["/modelcard-review"]
