using Expert.VqVae.MlCore.Runtime;
using Expert.VqVae.Voxels;
using TorchSharp;
using static TorchSharp.torch;

namespace Expert.VqVae.Features;

/// <summary>
/// The trained feature net as a function from grids to feature vectors: each grid (a framed building or a
/// scored region, drawn as it is) is rendered (<see cref="FeatureRenders"/>) and passed through
/// <see cref="BuildingFeatureNet.Features"/> on the CPU, in batches. Thread safe (one call at a time runs the net).
/// </summary>
public sealed class BuildingFeatureExtractor : IDisposable
{
    /// <summary>The shipped feature checkpoint's name beside the binaries (Checkpoints/).</summary>
    public const string ShippedName = "features.ckpt";

    private const int BatchSize = 64;
    private readonly BuildingFeatureNet _net;
    private readonly Lock _gate = new();

    private BuildingFeatureExtractor(string path, FeatureCheckpointHeader header, BuildingFeatureNet net)
    {
        Path = path;
        Header = header;
        _net = net;
        _net.eval();
    }

    /// <summary>The shipped checkpoint beside the running binaries.</summary>
    public static string ShippedPath => System.IO.Path.Combine(AppContext.BaseDirectory, "Checkpoints", ShippedName);

    public string Path { get; }
    public FeatureCheckpointHeader Header { get; }
    public int FeatureSize => _net.Config.FeatureSize;

    /// <summary>Loads a feature checkpoint (model.ckpt of `vqvae train-features`, or the shipped one).</summary>
    public static BuildingFeatureExtractor Load(string? path = null)
    {
        path ??= ShippedPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"No feature checkpoint at '{path}' (train one with `vqvae train-features`).", path);
        TorchRuntime.Initialize();
        var (header, net) = FeatureCheckpoint.Load(path);
        return new BuildingFeatureExtractor(path, header, net);
    }

    /// <summary>The feature vector of each grid, in order.</summary>
    public double[][] Extract(IReadOnlyList<OccupancyGrid> grids)
    {
        ArgumentNullException.ThrowIfNull(grids);
        var renders = new byte[grids.Count][];
        Parallel.For(0, grids.Count, i => renders[i] = FeatureRenders.Render(grids[i]));
        var result = new double[grids.Count][];
        int length = FeatureRenders.Length(FeatureRenders.Views.Count);
        lock (_gate)
        {
            using var noGrad = torch.no_grad();
            for (int start = 0; start < grids.Count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(BatchSize, grids.Count - start);
                var bytes = new byte[n * length];
                for (int i = 0; i < n; i++) renders[start + i].CopyTo(bytes, i * length);
                Tensor x = FeatureTrainer.ToInput(bytes, n, CPU);
                float[] f = _net.Features(x).to(float32).data<float>().ToArray();
                int d = FeatureSize;
                for (int i = 0; i < n; i++) result[start + i] = Enumerable.Range(0, d).Select(j => (double)f[i * d + j]).ToArray();
            }
        }
        return result;
    }

    public void Dispose() => _net.Dispose();
}
