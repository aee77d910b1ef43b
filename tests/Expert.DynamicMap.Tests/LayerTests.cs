using System.Buffers.Binary;
using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Layers;
using Expert.DynamicMap.Storage;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class LayerTests
{
    /// <summary>A floor at y 70 over x, z 0..9, and a cave under it: floor at y 60, air 61..63, roof 64..69 unknown.</summary>
    private static Episode CaveUnderFloor()
    {
        var episode = Episode.CreateInMemory("cave");
        var surface = Floor(0, 9, 0, 9, 70, "grass_block").ToArray();
        episode.Apply(Batch(Obs("top", 100, At(5.5, 71, 5.5), surface)));
        var cave = Floor(2, 7, 2, 7, 60, "stone").Append((4, 63, 4, "air")).ToArray();
        episode.Apply(Batch(Obs("miner", 150, At(4.5, 61, 4.5), cave)));
        return episode;
    }

    [Fact]
    public void The_vertical_range_picks_the_floor_or_the_cave_below_it()
    {
        using var episode = CaveUnderFloor();

        var upper = episode.GetMap(new LayerRequest(new MapRegion(0, 0, 10, 10, 65, 80)));
        Assert.Equal(70, upper.ValueAt(MapLayer.Height, 4, 4));
        Assert.Equal("grass_block", upper.Palette[(int)upper.ValueAt(MapLayer.SurfaceBlock, 4, 4)]);
        Assert.Equal(1, upper.ValueAt(MapLayer.Walkable, 4, 4));
        Assert.Equal(0, upper.ValueAt(MapLayer.Visits, 4, 4)); // the miner is in the cave, below this range
        Assert.Equal(1, upper.ValueAt(MapLayer.Visits, 5, 5));  // "top" stands at (5, 71, 5)

        var lower = episode.GetMap(new LayerRequest(new MapRegion(0, 0, 10, 10, 55, 66)));
        Assert.Equal(60, lower.ValueAt(MapLayer.Height, 4, 4));
        Assert.Equal("stone", lower.Palette[(int)lower.ValueAt(MapLayer.SurfaceBlock, 4, 4)]);
        Assert.Equal(1, lower.ValueAt(MapLayer.Walkable, 4, 4));
        Assert.Equal(1, lower.ValueAt(MapLayer.Visits, 4, 4));
        // Outside the cave (x 0) nothing of this range is known.
        Assert.Equal(LayerBuilder.NoHeight, lower.ValueAt(MapLayer.Height, 0, 0));
        Assert.Equal(0, lower.ValueAt(MapLayer.Explored, 0, 0));
        Assert.Equal(0, lower.ValueAt(MapLayer.Walkable, 0, 0));

        // The whole height: the top floor hides the cave.
        var all = episode.GetMap(new LayerRequest(new MapRegion(0, 0, 10, 10, -64, 319)));
        Assert.Equal(70, all.ValueAt(MapLayer.Height, 4, 4));
    }

    [Fact]
    public void Staleness_and_visit_ages_count_ticks_since_last_seen()
    {
        using var episode = CaveUnderFloor(); // now = 150; the floor was seen at 100, the cave at 150
        var map = episode.GetMap(new LayerRequest(new MapRegion(0, 0, 10, 10, 55, 80), [MapLayer.Staleness, MapLayer.LastVisitAge]));
        Assert.Equal(0, map.ValueAt(MapLayer.Staleness, 4, 4));
        Assert.Equal(50, map.ValueAt(MapLayer.Staleness, 0, 0));
        Assert.Equal(50, map.ValueAt(MapLayer.LastVisitAge, 5, 5));
        Assert.Equal(-1, map.ValueAt(MapLayer.LastVisitAge, 0, 0));

        // A partial chunk range (y 70 only) reads single cells.
        var slice = episode.GetMap(new LayerRequest(new MapRegion(0, 0, 10, 10, 70, 70), [MapLayer.Staleness]));
        Assert.Equal(50, slice.ValueAt(MapLayer.Staleness, 4, 4));
    }

    [Fact]
    public void Visits_can_be_asked_for_one_agent()
    {
        using var episode = CaveUnderFloor();
        var miner = episode.GetMap(new LayerRequest(new MapRegion(0, 0, 10, 10, -64, 319), [MapLayer.Visits], AgentId: "miner"));
        Assert.Equal(1, miner.ValueAt(MapLayer.Visits, 4, 4));
        Assert.Equal(0, miner.ValueAt(MapLayer.Visits, 5, 5));
    }

    [Fact]
    public void Planes_are_row_major_z_then_x_little_endian_in_the_requested_order()
    {
        using var episode = Episode.CreateInMemory("layout");
        episode.Apply(Batch(Obs("a", 1, At(13.5, 70, 21.5), (13, 66, 21, "stone"))));
        var region = new MapRegion(10, 20, 5, 3, 0, 100);
        var map = episode.GetMap(new LayerRequest(region, [MapLayer.Walkable, MapLayer.Height]));

        Assert.Equal([MapLayer.Walkable, MapLayer.Height], map.Planes.Select(p => p.Layer).ToArray());
        var height = map.Plane(MapLayer.Height);
        Assert.Equal(LayerElementType.Int16, height.ElementType);
        Assert.Equal(5 * 3 * 2, height.Data.Length);
        int index = (21 - 20) * 5 + (13 - 10);
        Assert.Equal(66, BinaryPrimitives.ReadInt16LittleEndian(height.Data.AsSpan(index * 2)));
        for (int i = 0; i < 15; i++)
            if (i != index) Assert.Equal(short.MinValue, BinaryPrimitives.ReadInt16LittleEndian(height.Data.AsSpan(i * 2)));
    }

    [Fact]
    public void Frontier_layer_marks_walkable_columns_next_to_unknown()
    {
        using var episode = Episode.CreateInMemory("edge");
        episode.Apply(Batch(Obs("a", 1, At(2.5, 64, 2.5), Floor(0, 4, 0, 4, 63).ToArray())));
        var map = episode.GetMap(new LayerRequest(new MapRegion(-1, -1, 7, 7, 60, 70), [MapLayer.Frontier, MapLayer.Walkable]));
        Assert.Equal(1, map.ValueAt(MapLayer.Frontier, 0, 2));
        Assert.Equal(1, map.ValueAt(MapLayer.Frontier, 4, 4));
        Assert.Equal(0, map.ValueAt(MapLayer.Frontier, 2, 2));
        Assert.Equal(1, map.ValueAt(MapLayer.Walkable, 2, 2));
        Assert.Equal(0, map.ValueAt(MapLayer.Walkable, -1, 2));
    }

    [Fact]
    public void A_large_region_scanned_in_parallel_equals_its_quarters_scanned_alone()
    {
        using var episode = Episode.CreateInMemory("quarters");
        var world = new Benchmarks.SyntheticWorld(seed: 11);
        foreach (var observation in world.Walk("a", 0, 0, 20, stride: 5, radius: 20))
            episode.Apply(new Observations.ObservationBatch([observation]));

        var whole = episode.GetMap(new LayerRequest(new MapRegion(-80, -80, 160, 160, 40, 100)));
        foreach (var (qx, qz) in new[] { (-80, -80), (0, -80), (-80, 0), (0, 0) })
        {
            var quarter = episode.GetMap(new LayerRequest(new MapRegion(qx, qz, 80, 80, 40, 100)));
            foreach (var layer in LayerRequest.AllLayers)
            for (int z = qz; z < qz + 80; z += 3)
            for (int x = qx; x < qx + 80; x += 3)
                Assert.Equal(quarter.ValueAt(layer, x, z), whole.ValueAt(layer, x, z));
        }
        Assert.True(Enumerable.Range(-80, 160).Count(x => whole.ValueAt(MapLayer.Explored, x, 0) == 1) > 40);
    }

    [Fact]
    public void A_region_larger_than_allowed_is_invalid()
    {
        using var episode = Episode.CreateInMemory("big", new MapOptions { MaxRegionSide = 64 });
        var error = Assert.Throws<MapValidationException>(() => episode.GetMap(new LayerRequest(new MapRegion(0, 0, 65, 10, 0, 10))));
        Assert.Contains(error.Violations, v => v.Field == "region.width");
    }

    [Fact]
    public void Liquid_is_a_surface_but_not_a_floor()
    {
        using var episode = Episode.CreateInMemory("water");
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5), (3, 62, 0, "water"), (3, 63, 0, "air"), (3, 64, 0, "air"))));
        var map = episode.GetMap(new LayerRequest(new MapRegion(0, 0, 5, 1, 50, 70)));
        Assert.Equal(62, map.ValueAt(MapLayer.Height, 3, 0));
        Assert.Equal(0, map.ValueAt(MapLayer.Walkable, 3, 0));
        Assert.Equal(BlockKind.Liquid, episode.CellAt(3, 62, 0).Kind);
    }
}
