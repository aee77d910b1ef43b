using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;

namespace Expert.DynamicMap.Tests;

/// <summary>A folder of its own under the system temp path, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dynmap-tests-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A clock the tests move by hand (for eviction).</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
}

internal static class Build
{
    public static MapPose At(double x, double y, double z, float yaw = 0, float pitch = 0) => new(x, y, z, yaw, pitch);

    /// <summary>An observation of named blocks.</summary>
    public static Observation Obs(string agent, long tick, MapPose pose, params (int X, int Y, int Z, string Name)[] blocks)
    {
        var builder = new ObservationBuilder(agent, tick, pose);
        foreach (var (x, y, z, name) in blocks) builder.Block(x, y, z, name);
        return builder.Build();
    }

    public static ObservationBatch Batch(params Observation[] observations) => new(observations);

    public static ObservationBatch Batch(string id, params Observation[] observations) => new(observations, id);

    /// <summary>A flat stone floor at y over a rectangle with seen air in the two cells above it.</summary>
    public static IEnumerable<(int, int, int, string)> Floor(int x0, int x1, int z0, int z1, int y, string floor = "stone")
    {
        for (int x = x0; x <= x1; x++)
        for (int z = z0; z <= z1; z++)
        {
            yield return (x, y, z, floor);
            yield return (x, y + 1, z, "air");
            yield return (x, y + 2, z, "air");
        }
    }

    public static MapOptions Options(string? dataDirectory = null) => new() { DataDirectory = dataDirectory };
}
