using Expert.DynamicMap.Benchmarks;
using Expert.DynamicMap.Describe;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;
using Expert.DynamicMap.Rendering;
using SkiaSharp;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class OutputTests
{
    private static Episode Explored()
    {
        var episode = Episode.CreateInMemory("out");
        var world = new SyntheticWorld(seed: 5);
        foreach (var observation in world.Walk("steve", 0, 0, 12, stride: 4, radius: 16))
            episode.Apply(new ObservationBatch([observation]));
        episode.Apply(Batch(new Observation("alex", 500, world.StandAt(-10, -10, yaw: 90), entities: [new EntitySeen("village_bell", 5, 70, 5)],
            sounds: [new SoundHeard("zombie", 1, Position: new Vec3(-3, 66, 8))])));
        episode.NameLandmark(episode.Landmarks[0].Id, "Bell");
        return episode;
    }

    [Fact]
    public void RenderMap_draws_a_png_with_ground_agents_and_text()
    {
        using var episode = Explored();
        var region = new MapRegion(-32, -32, 64, 64, 0, 200);
        byte[] png = episode.RenderPng(new RenderRequest(region, 512, 512));
        using var image = SKBitmap.Decode(png);
        Assert.NotNull(image);
        Assert.Equal(512, image.Width);
        Assert.Equal(512, image.Height);

        // Grass (green dominates) under the agents' ground, 8 px per block.
        var alex = episode.Agents.Single(a => a.Id == "alex").Pose;
        var ground = image.GetPixel((int)((alex.X + 32 + 3) * 8), (int)((alex.Z + 32 + 3) * 8));
        Assert.True(ground.Green > ground.Red && ground.Green > ground.Blue, $"expected grass green, got {ground}");

        // The legend box holds white text pixels (the embedded font draws).
        int white = 0;
        for (int y = 8; y < 120; y++)
        for (int x = 300; x < 512; x++)
        {
            var c = image.GetPixel(x, y);
            if (c.Red > 230 && c.Green > 230 && c.Blue > 230) white++;
        }
        Assert.True(white > 50, $"only {white} white pixels where the legend's text should be");

        var plain = SKBitmap.Decode(episode.RenderPng(new RenderRequest(region, 512, 512, Legend: false, Agents: false, Trails: false, Landmarks: false, Sounds: false, ScaleBar: false)));
        Assert.NotEqual(image.GetPixel(400, 30), plain.GetPixel(400, 30));
    }

    [Fact]
    public void DescribeMap_tells_agents_frontiers_landmarks_and_sounds()
    {
        using var episode = Explored();
        string text = episode.Describe(new DescribeRequest(AgentId: "steve"));
        Assert.Contains("Frame: x east, y up, z south", text);
        Assert.Contains("- steve at", text);
        Assert.Contains("- alex at", text);
        Assert.Contains("Frontiers for steve", text);
        Assert.Contains("1. ", text);
        Assert.Contains("Bell (village_bell)", text);
        Assert.Contains("- zombie at (-3, 66, 8) ±0.5", text);
        Assert.True(text.Length < 2000, $"the description should stay compact, is {text.Length} characters");
        Assert.Throws<MapNotFoundException>(() => episode.Describe(new DescribeRequest(AgentId: "herobrine")));
    }

    [Fact]
    public void The_benchmark_runs_and_reports_every_figure()
    {
        using var folder = new TempFolder();
        var result = MapBenchmark.Run(new MapBenchmarkOptions(IngestObservations: 40, ViewRadius: 12, SmallEpisodes: 5, Repeats: 2, TempDirectory: folder.Path));
        Assert.True(result.BlockObservationsPerSecond > 0);
        Assert.True(result.BlockObservationsPerSecondWithLog > 0);
        Assert.True(result.GetMapMilliseconds > 0);
        Assert.True(result.RenderMapMilliseconds > 0);
        Assert.True(result.BytesPerSmallEpisode > 10_000);
        Assert.Contains("block observations/s", result.ToText());
        Assert.Empty(Directory.GetDirectories(folder.Path)); // it cleans up after itself
    }
}
