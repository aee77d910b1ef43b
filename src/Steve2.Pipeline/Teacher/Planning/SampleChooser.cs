using Expert.VqVae.Corpus;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Steve2.Pipeline.Teacher.Planning;

/// <summary>One imagined sample as the chooser measured it.</summary>
/// <param name="Index">The sample's place in the expert's answer.</param>
/// <param name="Matched">Stated attributes the sample's measurement agrees with.</param>
/// <param name="Stated">Attributes the text states.</param>
/// <param name="SizeError">Blocks by which the sample's footprint and height miss the sizes the text states (0 when it states none).</param>
/// <param name="Measured">What <see cref="AttributeMeasurer"/> measured.</param>
/// <param name="Agreement">Mean IoU of the sample with the other samples (each laid at its occupied minimum corner): how typical it is.</param>
public sealed record SampleScore(int Index, int Matched, int Stated, int SizeError, MeasuredAttributes Measured, double Agreement = 0)
{
    public string Describe() => FormattableString.Invariant(
        $"sample {Index}: {Matched}/{Stated} stated attributes, {Measured.ExtentX} x {Measured.Height} x {Measured.ExtentZ} (size off by {SizeError}, agreement {Agreement:0.00})");
}

/// <summary>
/// Chooses among several imagined buildings the one whose measured attributes (<see cref="AttributeMeasurer"/>)
/// match what the text states (<see cref="DescriptionParser"/>: height class, storeys, footprint class, symmetry,
/// roof) and, among those that match as many, whose footprint and height come nearest to the sizes the text states
/// ("a 4 by 4 footprint", "twenty blocks tall"; either orientation of the footprint), then the most typical one
/// (highest mean IoU with the other samples: the shape the expert imagines most often); ties go to the earlier sample.
/// Reads only the text and the samples: never the corpus's grids.
/// </summary>
public static class SampleChooser
{
    public static (int Best, IReadOnlyList<SampleScore> Scores) Choose(string description, IReadOnlyList<VoxelGrid> samples)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        ParsedDescription parsed = DescriptionParser.Parse(description);
        ParsedParams? sizes = parsed.Family is BuildingFamily family ? DescriptionParser.ParseParams(description, family) : null;
        var scores = new List<SampleScore>(samples.Count);
        var cells = samples.Select(Cells).ToArray();
        for (int i = 0; i < samples.Count; i++)
        {
            MeasuredAttributes m = AttributeMeasurer.Measure(samples[i]);
            AttributeAgreement agreement = AttributeMeasurer.Agreement(parsed.Attributes, m);
            double typical = samples.Count == 1 ? 1 : Enumerable.Range(0, samples.Count).Where(j => j != i).Average(j => IoU(cells[i], cells[j]));
            scores.Add(new SampleScore(i, agreement.Matched, agreement.Stated, SizeError(sizes, m), m, Math.Round(typical, 4)));
        }
        int best = scores.OrderByDescending(s => s.Matched).ThenBy(s => s.SizeError).ThenByDescending(s => s.Agreement).ThenBy(s => s.Index).First().Index;
        return (best, scores);
    }

    /// <summary>The occupied cells of a grid, relative to its occupied minimum corner.</summary>
    private static HashSet<(int, int, int)> Cells(VoxelGrid g)
    {
        var list = new List<(int X, int Y, int Z)>();
        for (int y = 0; y < g.SizeY; y++)
            for (int z = 0; z < g.SizeZ; z++)
                for (int x = 0; x < g.SizeX; x++)
                    if (g[x, y, z]) list.Add((x, y, z));
        if (list.Count == 0) return [];
        int mx = list.Min(c => c.X), my = list.Min(c => c.Y), mz = list.Min(c => c.Z);
        return list.Select(c => (c.X - mx, c.Y - my, c.Z - mz)).ToHashSet();
    }

    private static double IoU(HashSet<(int, int, int)> a, HashSet<(int, int, int)> b)
    {
        int inter = a.Count(b.Contains), union = a.Count + b.Count - inter;
        return union == 0 ? 1 : (double)inter / union;
    }

    /// <summary>How far the measured footprint (either orientation) and height are from the stated sizes.</summary>
    public static int SizeError(ParsedParams? sizes, MeasuredAttributes m)
    {
        if (sizes is null) return 0;
        int Off(int? stated, int measured) => stated is int s ? Math.Abs(s - measured) : 0;
        int? w = sizes.Width, d = sizes.Depth ?? sizes.Width;
        int footprint = Math.Min(Off(w, m.ExtentX) + Off(d, m.ExtentZ), Off(w, m.ExtentZ) + Off(d, m.ExtentX));
        return footprint + Off(sizes.Height, m.Height);
    }
}
