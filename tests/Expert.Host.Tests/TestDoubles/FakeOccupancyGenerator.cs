using System.Collections.Concurrent;
using System.Text;
using Expert.VqVae.Inference;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.Host.Tests.TestDoubles;

/// <summary>
/// TEST DOUBLE, not a model: a deterministic, seed-driven stand-in for the VQ-VAE. Each sample is
/// a 32^3 box "building" whose footprint and height come from a hash of the description and the
/// sample's seed (seed + i), so same input gives the same grid and different seeds differ. It
/// records every call, can be slowed down, held on a gate, or made to fail on a description.
/// </summary>
public sealed class FakeOccupancyGenerator : IOccupancyGenerator
{
    public const int Size = 32;
    public const string FailingDescription = "explode please";
    public const string HangingDescription = "hang until cancelled";

    private readonly SemaphoreSlim? _gate;
    private int _calls;
    private int _cancellationsSeen;
    private int _inside;

    /// <param name="gated">Every Generate call waits until <see cref="Release"/> (or its token fires).</param>
    /// <param name="delay">Time each Generate call takes, as a model would.</param>
    /// <param name="materials">Also answer blocks (see <see cref="Blocks"/>), as a model with a material channel would.</param>
    public FakeOccupancyGenerator(bool gated = false, TimeSpan delay = default, bool materials = false)
    {
        _gate = gated ? new SemaphoreSlim(0) : null;
        Delay = delay;
        WithMaterials = materials;
        Info = materials
            ? new ModelInfo("fake-test-double-v1", "cpu", Size, 1234, [BlockMaterial.OakPlanks, BlockMaterial.Stone])
            : new ModelInfo("fake-test-double-v1", "cpu", Size, 1234);
    }

    public TimeSpan Delay { get; }

    public bool WithMaterials { get; }

    public ModelInfo Info { get; }

    /// <summary>The double's blocks for a grid: stone on the lowest three layers, oak planks above.</summary>
    public static MaterialGrid Blocks(OccupancyGrid grid)
    {
        var blocks = new MaterialGrid(grid.SizeX, grid.SizeY, grid.SizeZ);
        for (int y = 0; y < grid.SizeY; y++)
            for (int z = 0; z < grid.SizeZ; z++)
                for (int x = 0; x < grid.SizeX; x++)
                    if (grid[x, y, z]) blocks[x, y, z] = y < 3 ? BlockMaterial.Stone : BlockMaterial.OakPlanks;
        return blocks;
    }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Generate calls that observed their token fire.</summary>
    public int CancellationsSeen => Volatile.Read(ref _cancellationsSeen);

    /// <summary>Generate calls running right now.</summary>
    public int Inside => Volatile.Read(ref _inside);

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public ConcurrentQueue<string> Descriptions { get; } = new();

    /// <summary>Lets <paramref name="calls"/> gated calls through.</summary>
    public void Release(int calls = 1) => _gate?.Release(calls);

    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> batch, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _inside);
        BatchSizes.Enqueue(batch.Count);
        foreach (GenerationRequest r in batch) Descriptions.Enqueue(r.Description);
        try
        {
            try
            {
                _gate?.Wait(cancellationToken);
                if (batch.Any(r => r.Description == HangingDescription)) cancellationToken.WaitHandle.WaitOne();
                if (Delay > TimeSpan.Zero) Task.Delay(Delay, cancellationToken).GetAwaiter().GetResult();
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancellationsSeen);
                throw;
            }
            if (batch.Any(r => r.Description == FailingDescription))
                throw new InvalidOperationException("The test double was told to fail on this description.");
            return batch.Select(r =>
            {
                var grids = Imagine(r);
                return new GenerationResult(grids, TimeSpan.FromMilliseconds(1), WithMaterials ? grids.Select(Blocks).ToArray() : null);
            }).ToArray();
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    /// <summary>What the double answers for one request, computed directly (for expectations).</summary>
    public static IReadOnlyList<OccupancyGrid> Imagine(GenerationRequest request)
    {
        var grids = new OccupancyGrid[request.Sampling.Samples];
        for (int i = 0; i < grids.Length; i++)
            grids[i] = Shape(request.Description, unchecked(request.Sampling.Seed + (ulong)i));
        return grids;
    }

    public static OccupancyGrid Shape(string description, ulong seed)
    {
        ulong h = SplitMix(Fnv1a(description) ^ SplitMix(seed));
        int width = 4 + (int)(h % 12);
        int depth = 4 + (int)((h >> 8) % 12);
        int height = 3 + (int)((h >> 16) % 26);
        var grid = new OccupancyGrid(Size);
        int x0 = (Size - width) / 2, z0 = (Size - depth) / 2;
        grid.FillBox(x0, 0, z0, x0 + width - 1, height - 1, z0 + depth - 1);
        grid.FillBox(x0 + 1, 1, z0 + 1, x0 + width - 2, height - 2, z0 + depth - 2, false); // hollow
        return grid;
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
