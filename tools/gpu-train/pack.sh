#!/bin/bash
# Packs what tools/gpu-train/run.sh needs into .gpu/ (ignored by git): the .NET runtime and the vqvae
# app without its CPU libtorch, which the GPU machine's own PyTorch libtorch replaces at run time.
# Why: the CUDA build of TorchSharp is not served on this project's package feed; its managed code and
# libLibTorchSharp.so are the same for every backend, so binding them to a CUDA libtorch is enough.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf /tmp/gpuapp .gpu && mkdir -p .gpu
dotnet build src/Expert.VqVae -c Release -o /tmp/gpuapp
(cd /tmp/gpuapp && rm -f libtorch*.so libc10.so libgomp*.so* libshm.so libjitbackend_test.so libnnapi_backend.so \
    libbackend_with_compiler.so libaoti_custom_ops.so && tar -cJf "$OLDPWD/.gpu/app.tar.xz" .)
fx=$(ls /usr/share/dotnet/host/fxr | sort -V | tail -1); rt=$(ls /usr/share/dotnet/shared/Microsoft.NETCore.App | sort -V | tail -1)
(cd /usr/share/dotnet && tar -cJf "$OLDPWD/.gpu/dotnet.tar.xz" dotnet "host/fxr/$fx" "shared/Microsoft.NETCore.App/$rt")
cp tools/gpu-train/run.sh .gpu/run.sh
ls -la .gpu
