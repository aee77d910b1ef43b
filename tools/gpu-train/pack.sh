#!/bin/bash
# Packs what tools/gpu-train/run.sh (APP=vqvae, the default) or student.sh (APP=steve2) needs into .gpu/
# (ignored by git): the .NET runtime and the app without its CPU libtorch, which the GPU machine's own PyTorch
# libtorch replaces at run time.
# Why: the CUDA build of TorchSharp is not served on this project's package feed; its managed code and
# libLibTorchSharp.so are the same for every backend, so binding them to a CUDA libtorch is enough.
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${APP:-vqvae}" in
  vqvae) project=src/Expert.VqVae; tarball=app.tar.xz ;;
  steve2) project=src/Steve2.Pipeline; tarball=steve2.tar.xz ;;
  *) echo "APP is vqvae or steve2" >&2; exit 2 ;;
esac
rm -rf /tmp/gpuapp && mkdir -p .gpu && rm -f ".gpu/$tarball"
dotnet build "$project" -c Release -o /tmp/gpuapp
(cd /tmp/gpuapp && rm -f libtorch*.so libc10.so libgomp*.so* libshm.so libjitbackend_test.so libnnapi_backend.so \
    libbackend_with_compiler.so libaoti_custom_ops.so && tar -cJf "$OLDPWD/.gpu/$tarball" .)
# The runtime, and ASP.NET Core's (steve2 serves the experts in process).
fx=$(ls /usr/share/dotnet/host/fxr | sort -V | tail -1); rt=$(ls /usr/share/dotnet/shared/Microsoft.NETCore.App | sort -V | tail -1)
asp=$(ls /usr/share/dotnet/shared/Microsoft.AspNetCore.App | sort -V | tail -1)
(cd /usr/share/dotnet && tar -cJf "$OLDPWD/.gpu/dotnet.tar.xz" dotnet "host/fxr/$fx" "shared/Microsoft.NETCore.App/$rt" "shared/Microsoft.AspNetCore.App/$asp")
cp tools/gpu-train/run.sh tools/gpu-train/student.sh .gpu/
ls -la .gpu
