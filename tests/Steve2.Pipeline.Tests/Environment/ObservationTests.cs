using Steve2.Pipeline.Environment;
using Steve2.Pipeline.World;
using static Steve2.Pipeline.Tests.Environment.TestWorlds;

namespace Steve2.Pipeline.Tests.Environment;

public sealed class ObservationTests
{
    private static (int R, int G, int B) Pixel(RgbImage image, int x, int y) => (image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    [Fact]
    public void A_level_view_shows_sky_at_the_top_and_ground_at_the_bottom()
    {
        using var env = Episode(Flat());
        var image = env.Observe(0).Image;
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal(64 * 64 * 3, image.Pixels.Length);
        var top = Pixel(image, 32, 0);
        Assert.True(top.B > top.R && top.B > 200, $"top {top}");
        var bottom = Pixel(image, 32, 63);
        var stone = BlockTable.Get(Block.Stone);
        Assert.True(Math.Abs(bottom.R - stone.R) < 30 && Math.Abs(bottom.G - stone.G) < 30, $"bottom {bottom}");
    }

    [Fact]
    public void A_block_in_front_fills_the_centre_and_yaw_turns_the_view()
    {
        var world = Flat();
        for (int dx = -1; dx <= 1; dx++)
        for (int dy = 0; dy <= 2; dy++)
            world.Set(dx, Feet + dy, 3, Block.DiamondOre);     // a wall of diamond ore 3 blocks south
        world.Set(-3, Feet + 1, 0, Block.Sand);                // a block to the west
        using var env = Episode(world);
        var south = env.Observe(0);
        var diamond = BlockTable.Get(Block.DiamondOre);
        var centre = Pixel(south.Image, 32, 32);
        Assert.True(Math.Abs(centre.G - diamond.G * 0.68) < 25 && centre.B > 120, $"centre {centre}");
        Assert.Equal(new BlockPos(0, Feet + 1, 3), south.VisibleBlocks[0].Position);
        Assert.Contains(south.VisibleBlocks, b => b.Block == Block.DiamondOre);

        var west = env.Step(0, new LookAt(90, 0)).Observation;
        Assert.Equal(new SeenBlock(new BlockPos(-3, Feet + 1, 0), Block.Sand), west.VisibleBlocks[0]);
        Assert.DoesNotContain(west.VisibleBlocks, b => b.Block == Block.DiamondOre);
        // Nearest first.
        var eye = FirstPersonRaycaster.Eye(west.Pose);
        var distances = west.VisibleBlocks.Select(b => Vec3.Center(b.Position).DistanceTo(eye)).ToList();
        Assert.True(distances.First() < distances.Last());
    }

    [Theory]
    [InlineData(90, Block.Stone)]
    [InlineData(-90, Block.Air)]
    public void Looking_straight_down_or_up_works(double pitch, Block expected)
    {
        using var env = Episode(Flat());
        var observation = env.Step(0, new LookAt(30, pitch)).Observation;
        var centre = Pixel(observation.Image, 32, 32);
        if (expected == Block.Air) Assert.True(centre.B > 200 && observation.VisibleBlocks.Count == 0, $"centre {centre}");
        else
        {
            var stone = BlockTable.Get(Block.Stone);
            Assert.Equal((stone.R, stone.G, stone.B), ((byte)centre.R, (byte)centre.G, (byte)centre.B));
            Assert.Equal(new BlockPos(0, Floor, 0), observation.VisibleBlocks[0].Position);
        }
    }

    [Fact]
    public void Visible_blocks_are_capped_and_reveal_columns()
    {
        using var env = Episode(Flat(), options: new VoxelEnvironmentOptions(new WorldOptions(128, 48, 128, 16), MaxVisibleBlocks: 50, SoundChance: 0));
        var observation = env.Step(0, new LookAt(0, 30)).Observation;
        Assert.Equal(50, observation.VisibleBlocks.Count);
        var revealed = env.World.RevealedColumns(0);
        Assert.True(revealed.Count > 50);
        Assert.Contains((0, 3), revealed);
        Assert.DoesNotContain((0, -10), revealed);
    }

    [Fact]
    public void Entities_in_view_are_seen_and_behind_are_not()
    {
        var world = Flat();
        world.InitialAnimals = [("cow", new BlockPos(0, Feet, 8)), ("pig", new BlockPos(0, Feet, -8))];
        using var env = Episode(world);
        var seen = env.Observe(0).VisibleEntities;
        Assert.Contains(seen, e => e.Kind == "cow");
        Assert.DoesNotContain(seen, e => e.Kind == "pig");
    }

    [Fact]
    public void Observation_images_encode_as_png()
    {
        using var env = Episode(Flat());
        var png = WorldPictures.EncodePng(env.Observe(0).Image, 2);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        var map = WorldPictures.TopDown(WorldGenerator.Generate(4, new WorldOptions(64, 64, 64, 30)));
        Assert.Equal((64, 64), (map.Width, map.Height));

        var folder = Path.Combine(AppContext.BaseDirectory, "test-output", nameof(ObservationTests));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "view.png");
        WorldPictures.SavePng(env.Observe(0).Image, path, 3);
        using var decoded = SkiaSharp.SKBitmap.Decode(path);
        Assert.Equal((192, 192), (decoded.Width, decoded.Height));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
