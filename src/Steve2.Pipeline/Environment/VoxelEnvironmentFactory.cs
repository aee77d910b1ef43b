using System.Collections.Concurrent;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Environment;

/// <summary>
/// Makes episodes of the embedded voxel world (backend "voxel"). Generated worlds are kept per seed (up
/// to <see cref="MaxCachedWorlds"/>), and every episode gets its own copy, so many episodes on one seed
/// cost one generation. Thread-safe: episodes may be created from many threads.
/// </summary>
public sealed class VoxelEnvironmentFactory : IEnvironmentFactory
{
    /// <summary>Generated worlds kept in memory; the cache is emptied when it is full.</summary>
    public const int MaxCachedWorlds = 16;

    private readonly ConcurrentDictionary<int, Lazy<VoxelWorld>> _worlds = new();

    public VoxelEnvironmentFactory(VoxelEnvironmentOptions? options = null) => Options = (options ?? new VoxelEnvironmentOptions()).Validated();

    public string Backend => "voxel";

    public VoxelEnvironmentOptions Options { get; }

    public IEnvironment Create(EpisodeSpec spec) => CreateVoxel(spec);

    /// <summary>Same as <see cref="Create"/>, typed.</summary>
    public VoxelEnvironment CreateVoxel(EpisodeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new VoxelEnvironment(spec, WorldFor(spec.WorldSeed).Clone(), Options);
    }

    /// <summary>The generated (unchanged) world of a seed; callers must not modify it.</summary>
    public VoxelWorld WorldFor(int seed)
    {
        if (_worlds.Count >= MaxCachedWorlds && !_worlds.ContainsKey(seed)) _worlds.Clear();
        return _worlds.GetOrAdd(seed, s => new Lazy<VoxelWorld>(() => WorldGenerator.Generate(s, Options.WorldOptions))).Value;
    }
}
