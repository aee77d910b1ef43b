using Expert.VqVae.Composition;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Training;

/// <summary>
/// One description of one shape; <paramref name="Blocks"/> its blocks (v2 corpus) or null (occupancy only);
/// <paramref name="Composed"/> the composed building it was built from (v2 composed records), or null.
/// </summary>
public sealed record TrainingExample(string Id, string Description, OccupancyGrid Grid, MaterialGrid? Blocks = null, ComposedSpec? Composed = null);

/// <summary>
/// Examples with their grids de-duplicated (many descriptions share one shape): the autoencoder
/// trains on the distinct shapes, the prior on (description, shape index) pairs. With blocks, a shape
/// is a grid and its blocks (the same grid in two materials is two shapes); <see cref="Blocks"/> is then
/// parallel to <see cref="Grids"/> (null entries where an example has none).
/// </summary>
public sealed class TrainingSet
{
    public TrainingSet(IEnumerable<TrainingExample> examples)
    {
        var index = new Dictionary<string, int>();
        var grids = new List<OccupancyGrid>();
        var blocks = new List<MaterialGrid?>();
        var composed = new List<ComposedSpec?>();
        var pairs = new List<(string, int)>();
        foreach (var e in examples)
        {
            string key = $"{e.Grid.SizeX}x{e.Grid.SizeY}x{e.Grid.SizeZ}:{Convert.ToBase64String(e.Grid.Pack())}";
            if (e.Blocks is not null) key += ":" + Convert.ToBase64String(e.Blocks.PackBlocks().Indices) + ":" + string.Join(",", e.Blocks.PackBlocks().Palette);
            if (!index.TryGetValue(key, out int gi))
            {
                gi = grids.Count;
                grids.Add(e.Grid);
                blocks.Add(e.Blocks);
                composed.Add(e.Composed);
                index[key] = gi;
            }
            pairs.Add((e.Description, gi));
        }
        Grids = grids;
        Blocks = blocks;
        Composed = composed;
        Pairs = pairs;
    }

    public IReadOnlyList<OccupancyGrid> Grids { get; }

    /// <summary>The blocks of each of <see cref="Grids"/>, or null where an example had none.</summary>
    public IReadOnlyList<MaterialGrid?> Blocks { get; }
    /// <summary>The composed building of each of <see cref="Grids"/> (its first example's), or null.</summary>
    public IReadOnlyList<ComposedSpec?> Composed { get; }

    public IReadOnlyList<(string Description, int GridIndex)> Pairs { get; }
}
