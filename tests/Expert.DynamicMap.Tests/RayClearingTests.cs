using Expert.DynamicMap.Episodes;
using Expert.DynamicMap.Storage;
using static Expert.DynamicMap.Tests.Build;

namespace Expert.DynamicMap.Tests;

public class RayClearingTests
{
    // Eye at y 64 + 1.62 = 65.62, cell 65: a block at (10, 65, 0) is seen along a ray in row y 65, z 0.
    private static Episode SeeOneBlock(out long tick)
    {
        var episode = Episode.CreateInMemory("rays");
        tick = 100;
        episode.Apply(Batch(Obs("a", tick, At(0.5, 64, 0.5, yaw: 270), (10, 65, 0, "stone"))));
        return episode;
    }

    [Fact]
    public void Cells_between_eye_and_block_become_explored_air_and_the_block_is_solid()
    {
        using var episode = SeeOneBlock(out long tick);

        var block = episode.CellAt(10, 65, 0);
        Assert.Equal("stone", block.Block);
        Assert.Equal(BlockKind.Solid, block.Kind);
        Assert.Equal(tick, block.LastSeenTick);
        Assert.Equal(1, block.SeenCount);

        for (int x = 0; x <= 9; x++)
        {
            var cell = episode.CellAt(x, 65, 0);
            Assert.True(cell.Kind == BlockKind.Air, $"cell ({x}, 65, 0) should be explored air, is {cell.Kind}");
            Assert.Equal(tick, cell.LastSeenTick);
        }
        // Beyond the block, and off the ray, nothing is known.
        Assert.Equal(BlockKind.Unknown, episode.CellAt(11, 65, 0).Kind);
        Assert.Equal(BlockKind.Unknown, episode.CellAt(5, 67, 3).Kind);
        Assert.Equal(BlockKind.Unknown, episode.CellAt(5, 63, 0).Kind);
    }

    [Fact]
    public void A_diagonal_ray_clears_a_connected_line_of_cells_to_the_eye()
    {
        using var episode = Episode.CreateInMemory("diagonal");
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5), (8, 58, 6, "dirt"))));

        // Walk the cells from the block to the eye cell: each cleared cell touches the previous one by a face.
        int cleared = 0;
        for (int x = 0; x <= 8; x++)
        for (int y = 58; y <= 65; y++)
        for (int z = 0; z <= 6; z++)
            if (episode.CellAt(x, y, z).Kind == BlockKind.Air) cleared++;
        // A 3D DDA from (8,58,6) to (0,65,0) visits |dx|+|dy|+|dz| = 21 cells besides the block.
        Assert.Equal(21, cleared);
        Assert.Equal(BlockKind.Air, episode.CellAt(0, 65, 0).Kind); // the eye cell
        Assert.Equal(BlockKind.Solid, episode.CellAt(8, 58, 6).Kind);
    }

    [Fact]
    public void Rays_to_ground_seen_from_above_leave_through_the_top_face_and_clear_the_air_over_it()
    {
        using var episode = Episode.CreateInMemory("ground");
        // A flat floor at y 63 seen from an eye at 65.62: rays through block centres would run inside the
        // floor and skip the air over the far blocks; from the top faces they clear it.
        var blocks = Enumerable.Range(1, 20).Select(x => (x, 63, 0, "stone")).ToArray();
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5), blocks)));
        for (int x = 1; x <= 20; x++)
        {
            Assert.Equal(BlockKind.Solid, episode.CellAt(x, 63, 0).Kind);
            Assert.True(episode.CellAt(x, 64, 0).Kind == BlockKind.Air, $"the air over the floor at x {x} should be explored");
        }
    }

    [Fact]
    public void A_ray_never_erases_a_known_block_but_an_observed_air_block_does()
    {
        using var episode = Episode.CreateInMemory("keep");
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5), (5, 65, 0, "stone"))));
        episode.Apply(Batch(Obs("a", 2, At(0.5, 64, 0.5), (10, 65, 0, "stone"))));
        Assert.Equal("stone", episode.CellAt(5, 65, 0).Block);

        // The block was mined: the agent reports air there.
        episode.Apply(Batch(Obs("a", 3, At(0.5, 64, 0.5), (5, 65, 0, "minecraft:air"))));
        Assert.Equal(BlockKind.Air, episode.CellAt(5, 65, 0).Kind);
        Assert.Equal(3, episode.CellAt(5, 65, 0).LastSeenTick);
    }

    [Fact]
    public void Rays_of_one_observation_count_each_cell_once()
    {
        using var episode = Episode.CreateInMemory("count");
        // Three blocks in a vertical line share the cells near the eye.
        episode.Apply(Batch(Obs("a", 1, At(0.5, 64, 0.5), (12, 64, 0, "stone"), (12, 65, 0, "stone"), (12, 66, 0, "stone"))));
        Assert.Equal(1, episode.CellAt(1, 65, 0).SeenCount);
        Assert.Equal(1, episode.CellAt(0, 65, 0).SeenCount);
        episode.Apply(Batch(Obs("a", 2, At(0.5, 64, 0.5), (12, 65, 0, "stone"))));
        Assert.Equal(2, episode.CellAt(1, 65, 0).SeenCount);
        Assert.Equal(2, episode.CellAt(12, 65, 0).SeenCount);
    }

    [Fact]
    public void A_late_tick_counts_but_never_overwrites_newer_content()
    {
        using var episode = Episode.CreateInMemory("late");
        episode.Apply(Batch(Obs("a", 10, At(0.5, 64, 0.5), (6, 65, 0, "stone"))));
        episode.Apply(Batch(Obs("b", 5, At(0.5, 64, 0.5), (6, 65, 0, "dirt"), (0, 70, 6, "sand"))));

        var cell = episode.CellAt(6, 65, 0);
        Assert.Equal("stone", cell.Block);
        Assert.Equal(10, cell.LastSeenTick);   // last-seen takes the max
        Assert.Equal(2, cell.SeenCount);       // but both sightings count
        Assert.Equal(5, episode.CellAt(0, 70, 6).LastSeenTick); // unknown cells take late content
        Assert.Equal(10, episode.Stats.Tick);

        // The agent pose keeps the latest tick; the trail is ordered by tick.
        episode.Apply(Batch(Obs("a", 7, At(3.5, 64, 0.5))));
        Assert.Equal(0.5, episode.Agents.Single(a => a.Id == "a").Pose.X);
        Assert.Equal([7L, 10L], episode.TrailOf("a").Select(p => p.Tick).ToArray());
    }
}
