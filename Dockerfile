# The STEVE-2 images, one target each (deploy/CONTAINERS.md has the whole story: compose, Kubernetes, measurements):
#
#   experts   the expert host (src/Expert.Host): steve2.expert.v1 over gRPC (h2c) on 5080, the shipped
#             checkpoint, HEALTHCHECK through grpc.health.v1. The default target.
#   pipeline  the `steve2` CLI (src/Steve2.Pipeline): record, eval (+ merge), train-student, play, ...;
#             outputs under /data (its working directory, a volume).
#
#   docker build --target experts  -t steve2-experts:cpu .
#   docker build --target pipeline -t steve2-pipeline:cpu .
#   docker build --target experts  --build-arg TORCH_BACKEND=cuda -t steve2-experts:cuda .     # CUDA variants:
#   docker build --target pipeline --build-arg TORCH_BACKEND=cuda -t steve2-pipeline:cuda .   #   run with --gpus all
#
#   docker run --rm -p 5080:5080 -e Security__AllowAnonymous=true steve2-experts:cpu     # or API keys: src/Expert.Host/README.md
#   docker run --rm -v steve2-data:/data steve2-pipeline:cpu eval --agents teacher-no-expert --seeds 0-4 --output runs/eval
#
# Build arguments (every base image is one, with today's public default, so a site with its own registry, or none,
# builds from its own bases):
#   SDK_IMAGE      the .NET 10 SDK image the apps are published in (APP_SOURCE=build).
#   RUNTIME_IMAGE  the base of both targets: it must have the .NET 10 and ASP.NET Core 10 runtimes (`dotnet` on PATH),
#                  a shell, and ENV APP_UID (the non-root uid to run as; the .NET images' is 1654), and a libstdc++
#                  with GLIBCXX_3.4.32 unless the apps were published by this repository's build, which marks
#                  TorchSharp's one 3.4.32 need weak (Directory.Build.targets).
#   DOTNET_TAG     the tag of the two default images: 10.0-noble (Ubuntu 24.04; 10.0-trixie-slim works too).
#   TORCH_BACKEND  cpu (libtorch-cpu-linux-x64) or cuda (TorchSharp-cuda-linux): a build property of the apps; the
#                  device itself is chosen at run time (Model__Device=auto, --device auto pick CUDA when there is one).
#   APP_SOURCE     build: publish inside the SDK stage (needs NuGet from the build); prebuilt: take the apps already
#                  published into artifacts/container-publish/{experts,pipeline} of the build context, for a builder
#                  that reaches no NuGet (tests/containers/run.sh does this on a locally made Debian base).
#
# The stages run nothing that cannot run outside Docker: tests/Expert.Host.Tests/publish-check.sh publishes with
# the same command, starts the output as ENTRYPOINT does and probes it as HEALTHCHECK does.
ARG DOTNET_TAG=10.0-noble
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:${DOTNET_TAG}
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG}
ARG APP_SOURCE=build

# ---- the apps, published in the SDK image -------------------------------------------------------------------
FROM ${SDK_IMAGE} AS build-common
# cpu: libtorch-cpu-linux-x64. cuda: TorchSharp-cuda-linux (see src/Expert.VqVae/Expert.VqVae.csproj).
ARG TORCH_BACKEND=cpu
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src
# Restore from the project files alone, so that the package layer survives code edits.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/Expert.VqVae/Expert.VqVae.csproj src/Expert.VqVae/
COPY src/Expert.DynamicMap/Expert.DynamicMap.csproj src/Expert.DynamicMap/
COPY src/Expert.Host/Expert.Host.csproj src/Expert.Host/
COPY src/Steve2.Pipeline/Steve2.Pipeline.csproj src/Steve2.Pipeline/
RUN dotnet restore src/Expert.Host/Expert.Host.csproj -p:TorchBackend=${TORCH_BACKEND}
RUN dotnet restore src/Steve2.Pipeline/Steve2.Pipeline.csproj -p:TorchBackend=${TORCH_BACKEND}
COPY protos/ protos/
COPY src/ src/

FROM build-common AS build-experts
RUN dotnet publish src/Expert.Host/Expert.Host.csproj -c Release -o /out --no-restore -p:TorchBackend=${TORCH_BACKEND}

FROM build-common AS build-pipeline
RUN dotnet publish src/Steve2.Pipeline/Steve2.Pipeline.csproj -c Release -o /out --no-restore -p:TorchBackend=${TORCH_BACKEND}

# ---- or the apps as published outside (APP_SOURCE=prebuilt) ------------------------------------------------
FROM scratch AS prebuilt-experts
COPY artifacts/container-publish/experts/ /out/

FROM scratch AS prebuilt-pipeline
COPY artifacts/container-publish/pipeline/ /out/

FROM ${APP_SOURCE}-experts AS experts-app
FROM ${APP_SOURCE}-pipeline AS pipeline-app

# ---- what both images share -----------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
# libgomp's default spin-wait slows libtorch 6-13x on a shared CPU; it must be set before libtorch loads.
# NVIDIA_* let the NVIDIA container toolkit mount the driver for the cuda variant (ignored elsewhere).
ENV OMP_WAIT_POLICY=PASSIVE \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
# Everything written goes under /data (a volume: it outlives the container), which belongs to the service user;
# the app folder /app stays owned by root and read-only to it (compose and Kubernetes also mount the root read-only).
RUN mkdir -p /data/maps && chown -R $APP_UID /data
VOLUME /data

# ---- the pipeline: the steve2 CLI -----------------------------------------------------------------------------
FROM runtime AS pipeline
COPY --from=pipeline-app /out/ /app/
# The shipped checkpoints (experts' occupancy model, FID features, student) travel with it: eval and record start
# the experts in process when given no --experts.
RUN test -f /app/Checkpoints/default.ckpt && test -f /app/steve2.dll \
 || { echo "The pipeline's output lacks steve2.dll or Checkpoints/default.ckpt." >&2; exit 1; }
# Relative outputs (runs/eval, data/trajectories) land on the volume.
WORKDIR /data
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/steve2.dll"]
CMD ["--help"]

# ---- the experts (default target) -----------------------------------------------------------------------------
FROM runtime AS experts
WORKDIR /app
COPY --from=experts-app /out/ ./
# The image serves the shipped checkpoint: refuse to build one that would start without it.
RUN test -f /app/Checkpoints/default.ckpt \
 || { echo "No Checkpoints/default.ckpt in the output: src/Expert.VqVae/Checkpoints/default.ckpt must be in the build context." >&2; exit 1; }
# Listen on every interface of the container (the host's own default is loopback only), HTTP/2 only;
# logs as one JSON object per line; episode maps under the volume. The image listens on 0.0.0.0, so the host
# refuses to start without authentication: configure keys (or JWT, TLS: src/Expert.Host/README.md, Security),
# or serve anyone on purpose with -e Security__AllowAnonymous=true. Other options: -e Batching__MaxBatch=16,
# -e Model__Device=cuda, OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317 (src/Expert.Host/README.md).
ENV ASPNETCORE_URLS=http://0.0.0.0:5080 \
    ASPNETCORE_HTTP_PORTS= \
    Logging__Console__FormatterName=json \
    Map__DataDirectory=/data/maps
EXPOSE 5080
# The non-root user the .NET images provide (uid 1654).
USER $APP_UID
# grpc.health.v1 through the host's own probe (the image has no curl; the endpoint is HTTP/2 only).
# The start period covers loading the model.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/Expert.Host.dll", "probe", "http://127.0.0.1:5080"]
ENTRYPOINT ["dotnet", "Expert.Host.dll"]
