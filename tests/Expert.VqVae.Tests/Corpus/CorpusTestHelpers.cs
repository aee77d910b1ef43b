using Expert.VqVae.Corpus;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Corpus;

internal static class CorpusTestHelpers
{
    /// <summary>
    /// Model-like noise: removes <paramref name="fraction"/> of the occupied voxels at random, adds as many
    /// voxels on empty cells touching the surface, and drops <paramref name="specks"/> isolated voxels anywhere.
    /// </summary>
    public static OccupancyGrid AddNoise(OccupancyGrid grid, Random rng, double fraction, int specks = 5)
    {
        var noisy = grid.Clone();
        var cells = grid.Cells;
        int sx = grid.SizeX, sz = grid.SizeZ, layer = sx * sz;
        var occupied = new List<int>();
        var surface = new HashSet<int>();
        for (int i = 0; i < cells.Length; i++)
        {
            if (!cells[i]) continue;
            occupied.Add(i);
            int x = i % sx, z = i / sx % sz, y = i / layer;
            if (x > 0 && !cells[i - 1]) surface.Add(i - 1);
            if (x < sx - 1 && !cells[i + 1]) surface.Add(i + 1);
            if (z > 0 && !cells[i - sx]) surface.Add(i - sx);
            if (z < sz - 1 && !cells[i + sx]) surface.Add(i + sx);
            if (y > 0 && !cells[i - layer]) surface.Add(i - layer);
            if (y < grid.SizeY - 1 && !cells[i + layer]) surface.Add(i + layer);
        }
        var empty = surface.Order().ToList();
        int k = (int)Math.Round(fraction * occupied.Count);
        Shuffle(occupied, rng);
        Shuffle(empty, rng);
        foreach (int i in occupied.Take(k)) noisy.SetIndex(i, false);
        foreach (int i in empty.Take(k)) noisy.SetIndex(i, true);
        for (int i = 0; i < specks; i++)
        {
            int x = rng.Next(grid.SizeX), y = rng.Next(grid.SizeY), z = rng.Next(grid.SizeZ);
            if (!grid[x, y, z]) noisy[x, y, z] = true;
        }
        return noisy;
    }

    private static void Shuffle<T>(List<T> list, Random rng)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }


    /// <summary>Every n-th combination of the catalog, across all families (a deterministic sample).</summary>
    public static IEnumerable<BuildingSpec> SampleCombinations(int every) =>
        BuildingCatalog.AllCombinations().Where((_, i) => i % every == 0);
}

/// <summary>A folder under the test output for the files one test writes (never a shared /tmp name); deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string name)
    {
        Path = System.IO.Path.Combine(AppContext.BaseDirectory, "corpus-test-files", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
