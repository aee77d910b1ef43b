using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>
/// The blocks of one bounded world, one byte each, plus the per-column biome, the chests' contents and
/// the spawn point. Storage is y-fastest: index = ((x - MinX) * SizeZ + (z - MinZ)) * SizeY + y.
/// Outside the bounds every block reads as <see cref="Block.Bedrock"/> below y = 0 and elsewhere as air.
/// </summary>
public sealed class VoxelWorld
{
    private readonly byte[] _blocks;
    private readonly byte[] _biomes;
    private readonly Dictionary<BlockPos, Dictionary<string, int>> _chests;

    public VoxelWorld(long seed, WorldOptions options)
    {
        Options = options.Validated();
        Seed = seed;
        MinX = -options.SizeX / 2;
        MinZ = -options.SizeZ / 2;
        _blocks = new byte[options.SizeX * options.SizeY * options.SizeZ];
        _biomes = new byte[options.SizeX * options.SizeZ];
        _chests = [];
    }

    private VoxelWorld(VoxelWorld other)
    {
        Options = other.Options;
        Seed = other.Seed;
        MinX = other.MinX;
        MinZ = other.MinZ;
        Spawn = other.Spawn;
        _blocks = (byte[])other._blocks.Clone();
        _biomes = other._biomes;
        _chests = other._chests.ToDictionary(kv => kv.Key, kv => new Dictionary<string, int>(kv.Value));
        InitialAnimals = other.InitialAnimals;
        TopY = other.TopY;
    }

    public WorldOptions Options { get; }
    public long Seed { get; }
    public int MinX { get; }
    public int MinZ { get; }
    public int MaxX => MinX + Options.SizeX - 1;
    public int MaxZ => MinZ + Options.SizeZ - 1;
    public int SizeY => Options.SizeY;

    /// <summary>Where agents appear by default: the feet position on the surface near the origin.</summary>
    public BlockPos Spawn { get; internal set; }

    /// <summary>The animals the generator placed (each episode starts with copies of them).</summary>
    public IReadOnlyList<(string Kind, BlockPos Position)> InitialAnimals { get; internal set; } = [];

    /// <summary>At least the highest y holding a non-air block (rays above it can only meet the sky).</summary>
    public int TopY { get; private set; }

    /// <summary>Recomputes <see cref="TopY"/> exactly (after generation fills columns directly).</summary>
    internal void RecomputeTop()
    {
        int top = 0;
        for (int i = 0; i < _blocks.Length; i += SizeY)
            for (int y = SizeY - 1; y > top; y--)
                if (_blocks[i + y] != 0) { top = y; break; }
        TopY = top;
    }

    /// <summary>Bytes held by the block and biome arrays.</summary>
    public long StorageBytes => _blocks.LongLength + _biomes.LongLength;

    /// <summary>A deep copy: blocks and chests are the copy's own; biomes never change and are shared.</summary>
    public VoxelWorld Clone() => new(this);

    public bool InBounds(int x, int y, int z) =>
        x >= MinX && x <= MaxX && z >= MinZ && z <= MaxZ && y >= 0 && y < SizeY;

    public bool InBoundsColumn(int x, int z) => x >= MinX && x <= MaxX && z >= MinZ && z <= MaxZ;

    private int Index(int x, int y, int z) => ((x - MinX) * Options.SizeZ + (z - MinZ)) * SizeY + y;

    public Block Get(int x, int y, int z)
    {
        if (!InBounds(x, y, z)) return y < 0 ? Block.Bedrock : Block.Air;
        return (Block)_blocks[Index(x, y, z)];
    }

    public Block Get(BlockPos p) => Get(p.X, p.Y, p.Z);

    /// <summary>The blocks of one column, y = 0 first (for fast filling by the generator; chests are not tracked through it).</summary>
    internal Span<byte> Column(int x, int z) => _blocks.AsSpan(Index(x, 0, z), SizeY);

    /// <summary>Sets a block inside the bounds (ignored outside). Setting anything but a chest over a chest drops its contents.</summary>
    public void Set(int x, int y, int z, Block block)
    {
        if (!InBounds(x, y, z)) return;
        int i = Index(x, y, z);
        if (_blocks[i] == (byte)Block.Chest && block != Block.Chest) _chests.Remove(new BlockPos(x, y, z));
        _blocks[i] = (byte)block;
        if (block != Block.Air && y > TopY) TopY = y;
    }

    public void Set(BlockPos p, Block block) => Set(p.X, p.Y, p.Z, block);

    public Biome BiomeAt(int x, int z) =>
        InBoundsColumn(x, z) ? (Biome)_biomes[(x - MinX) * Options.SizeZ + (z - MinZ)] : Biome.Water;

    internal void SetBiome(int x, int z, Biome biome) => _biomes[(x - MinX) * Options.SizeZ + (z - MinZ)] = (byte)biome;

    /// <summary>y of the highest block that is neither air nor leaves (0 outside the bounds).</summary>
    public int SurfaceHeight(int x, int z)
    {
        if (!InBoundsColumn(x, z)) return 0;
        int baseIndex = Index(x, 0, z);
        for (int y = SizeY - 1; y > 0; y--)
        {
            byte b = _blocks[baseIndex + y];
            if (b != (byte)Block.Air && b != (byte)Block.OakLeaves) return y;
        }
        return 0;
    }

    /// <summary>Places a chest holding the given items (replaces the block there).</summary>
    public void PlaceChest(BlockPos p, IReadOnlyDictionary<string, int> contents)
    {
        Set(p, Block.Chest);
        _chests[p] = new Dictionary<string, int>(contents);
    }

    /// <summary>The contents of the chest at <paramref name="p"/>, or null when no chest is there. The dictionary is live: taking items empties it.</summary>
    public Dictionary<string, int>? Chest(BlockPos p)
    {
        if (Get(p) != Block.Chest) return null;
        if (!_chests.TryGetValue(p, out var contents))
        {
            contents = [];
            _chests[p] = contents;
        }
        return contents;
    }

    /// <summary>Positions of all chests.</summary>
    public IEnumerable<BlockPos> ChestPositions => _chests.Keys;

    /// <summary>The block array itself, in storage order (see the class summary), for the ray caster's inner loop; never written through.</summary>
    internal byte[] Storage => _blocks;

    /// <summary>The raw block bytes in storage order (for comparisons in tests).</summary>
    internal ReadOnlySpan<byte> RawBlocks => _blocks;

    /// <summary>Counts the blocks of each type (for tests and docs).</summary>
    public long[] CountBlocks()
    {
        var counts = new long[256];
        foreach (byte b in _blocks) counts[b]++;
        return counts;
    }
}
