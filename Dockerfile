# syntax=docker/dockerfile:1
#
# The STEVE-2 expert host (src/Expert.Host): steve2.expert.v1.OccupancyExpert over gRPC (h2c),
# serving the shipped checkpoint.
#
#   docker build -t steve2-expert .                                        # CPU image
#   docker build --build-arg TORCH_BACKEND=cuda -t steve2-expert:cuda .    # GPU image
#   docker run --rm -p 5080:5080 -e Security__ApiKeys__0__Principal=pipeline \
#     -e Security__ApiKeys__0__Roles=occupancy,maps \
#     -e Security__ApiKeys__0__KeySha256=$(printf %s "$KEY" | sha256sum | cut -d' ' -f1) \
#     steve2-expert                                                        # add --gpus all for CUDA
#   grpcurl -plaintext -H "x-api-key: $KEY" 127.0.0.1:5080 list
#
# The image listens on 0.0.0.0, so the host refuses to start without authentication: configure keys
# (or JWT, TLS: src/Expert.Host/README.md, Security), or serve anyone on purpose with
# -e Security__AllowAnonymous=true.
#
# Options come from environment variables (-e Batching__MaxBatch=16, -e Model__Device=cuda, ...);
# see src/Expert.Host/README.md. OpenTelemetry export: -e OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317.
#
# The stages run nothing that cannot run outside Docker: tests/Expert.Host.Tests/publish-check.sh
# publishes with the same command, starts the output as ENTRYPOINT does and probes it as
# HEALTHCHECK does.
#
# Base images: Ubuntu 24.04 (noble). Its libstdc++ has GLIBCXX_3.4.32, which TorchSharp's native
# library needs (Debian 12's does not; see Directory.Build.targets). Debian 13 (10.0-trixie-slim)
# works too.
ARG DOTNET_TAG=10.0-noble

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_TAG} AS build
# cpu: libtorch-cpu-linux-x64. cuda: TorchSharp-cuda-linux (see src/Expert.VqVae/Expert.VqVae.csproj).
# The device itself is chosen at run time (Model__Device=auto picks CUDA when the container sees a GPU).
ARG TORCH_BACKEND=cpu
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src

# Restore from the project files alone, so that the package layer survives code edits.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/Expert.VqVae/Expert.VqVae.csproj src/Expert.VqVae/
COPY src/Expert.DynamicMap/Expert.DynamicMap.csproj src/Expert.DynamicMap/
COPY src/Expert.Host/Expert.Host.csproj src/Expert.Host/
RUN dotnet restore src/Expert.Host/Expert.Host.csproj -p:TorchBackend=${TORCH_BACKEND}

COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/Expert.Host/Expert.Host.csproj -c Release -o /app --no-restore -p:TorchBackend=${TORCH_BACKEND}
# The image serves the shipped checkpoint: refuse to build one that would start without it.
RUN test -f /app/Checkpoints/default.ckpt \
 || { echo "No Checkpoints/default.ckpt in the output: src/Expert.VqVae/Checkpoints/default.ckpt must be in the build context." >&2; exit 1; }

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG} AS runtime
WORKDIR /app
# Owned by root and read-only to the service user: the host writes nothing into its own folder.
COPY --from=build /app ./

# libgomp's default spin-wait slows libtorch 6-13x on a shared CPU; it must be set before libtorch loads.
# Listen on every interface of the container (the host's own default is loopback only), HTTP/2 only;
# logs as one JSON object per line. NVIDIA_* let the NVIDIA container toolkit mount the driver for
# the cuda image (ignored elsewhere).
ENV OMP_WAIT_POLICY=PASSIVE \
    ASPNETCORE_URLS=http://0.0.0.0:5080 \
    ASPNETCORE_HTTP_PORTS= \
    Logging__Console__FormatterName=json \
    Map__DataDirectory=/data/maps \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
EXPOSE 5080

# Episode maps are written under /data/maps (a volume: they survive the container). The folder
# belongs to the service user; everything else stays read-only to it.
RUN mkdir -p /data/maps && chown -R $APP_UID /data
VOLUME /data

# The non-root user the .NET images provide (uid 1654).
USER $APP_UID

# grpc.health.v1 through the host's own probe (the image has no curl; the endpoint is HTTP/2 only).
# The start period covers loading the model.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/Expert.Host.dll", "probe", "http://127.0.0.1:5080"]

ENTRYPOINT ["dotnet", "Expert.Host.dll"]
