using Expert.VqVae.Voxels;

namespace Expert.VqVae.Training;

/// <summary>One description of one shape.</summary>
public sealed record TrainingExample(string Id, string Description, OccupancyGrid Grid);

/// <summary>
/// Examples with their grids de-duplicated (many descriptions share one shape): the autoencoder
/// trains on the distinct shapes, the prior on (description, shape index) pairs.
/// </summary>
public sealed class TrainingSet
{
    public TrainingSet(IEnumerable<TrainingExample> examples)
    {
        var index = new Dictionary<string, int>();
        var grids = new List<OccupancyGrid>();
        var pairs = new List<(string, int)>();
        foreach (var e in examples)
        {
            string key = $"{e.Grid.SizeX}x{e.Grid.SizeY}x{e.Grid.SizeZ}:{Convert.ToBase64String(e.Grid.Pack())}";
            if (!index.TryGetValue(key, out int gi))
            {
                gi = grids.Count;
                grids.Add(e.Grid);
                index[key] = gi;
            }
            pairs.Add((e.Description, gi));
        }
        Grids = grids;
        Pairs = pairs;
    }

    public IReadOnlyList<OccupancyGrid> Grids { get; }
    public IReadOnlyList<(string Description, int GridIndex)> Pairs { get; }
}
