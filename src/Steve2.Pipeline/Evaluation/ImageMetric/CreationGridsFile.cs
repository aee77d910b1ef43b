using System.Text.Json;
using Expert.DynamicMap.Shared;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Evaluation.ImageMetric;

/// <summary>
/// <c>creation-grids.json</c> beside a report: every played creation episode's built and target region grids
/// (<see cref="CreationGrids"/>, bit-packed, base64), so that <c>steve2 eval merge</c> can compute the creation
/// FID over the union of shards exactly as one run would. Written by the harness after the episodes, never
/// read by an agent (ground truth stays with the scorers and the report).
/// </summary>
public static class CreationGridsFile
{
    public const string FileName = "creation-grids.json";
    public const string Format = "steve2-creation-grids/1";

    private sealed record Grid(int SizeX, int SizeY, int SizeZ, string Cells);
    private sealed record Entry(string Agent, string Task, int Seed, Grid Built, Grid Target);
    private sealed record Document(string Format, IReadOnlyList<Entry> Episodes);

    /// <summary>Writes the grids of the outcomes that carry them into <paramref name="directory"/>; returns the path, or null when none does.</summary>
    public static string? Write(string directory, IReadOnlyList<EpisodeOutcome> outcomes)
    {
        List<Entry> entries = outcomes.Where(o => o.Creation is not null)
            .Select(o => new Entry(o.Agent, o.Task, o.Seed, ToGrid(o.Creation!.Built), ToGrid(o.Creation.Target))).ToList();
        if (entries.Count == 0) return null;
        string path = Path.Combine(directory, FileName);
        AtomicFile.WriteBytes(path, JsonSerializer.SerializeToUtf8Bytes(new Document(Format, entries), EvaluationReport.Json));
        return path;
    }

    /// <summary>The grids in <paramref name="directory"/> by (agent, task, seed); empty when the folder has no such file.</summary>
    public static IReadOnlyDictionary<(string Agent, string Task, int Seed), CreationGrids> Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        var grids = new Dictionary<(string, string, int), CreationGrids>();
        if (!File.Exists(path)) return grids;
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(File.ReadAllBytes(path), EvaluationReport.Json);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not a creation grid file: {e.Message}");
        }
        if (document is null || document.Format != Format)
            throw new InvalidOperationException($"{path}: expected format {Format}, got '{document?.Format}'.");
        foreach (Entry e in document.Episodes)
            grids[(e.Agent, e.Task, e.Seed)] = new CreationGrids(FromGrid(e.Built, path), FromGrid(e.Target, path));
        return grids;
    }

    private static Grid ToGrid(VoxelGrid g) => new(g.SizeX, g.SizeY, g.SizeZ, Convert.ToBase64String(g.Pack()));

    private static VoxelGrid FromGrid(Grid g, string path)
    {
        byte[] cells = Convert.FromBase64String(g.Cells);
        if (cells.Length != VoxelGrid.PackedLength(g.SizeX, g.SizeY, g.SizeZ))
            throw new InvalidOperationException($"{path}: a {g.SizeX}x{g.SizeY}x{g.SizeZ} grid holds {cells.Length} bytes, not {VoxelGrid.PackedLength(g.SizeX, g.SizeY, g.SizeZ)}.");
        return VoxelGrid.Unpack(g.SizeX, g.SizeY, g.SizeZ, cells);
    }
}
