using Steve2.Pipeline.Environment;
using Steve2.Pipeline.Tasks;
using Steve2.Pipeline.Teacher;
using Steve2.Pipeline.World;

namespace Steve2.Pipeline.Tests.Tasks;

/// <summary>The object-search task's setup: sound targets within hearing, images from the world's renderer, reachable chest targets.</summary>
public sealed class ObjectSearchTaskTests
{
    private static readonly VoxelEnvironmentFactory Worlds = new(new VoxelEnvironmentOptions(new WorldOptions(128, 64, 128, 24)));

    [Fact]
    public void Sound_targets_are_within_hearing_of_every_agent_and_heard_at_the_start()
    {
        var task = new ObjectSearchTask();
        var seeds = Enumerable.Range(0, 30).Select(i => 3 * i + 2).Concat([1_000_001, 1_000_004, 1_000_007]).ToArray();
        foreach (int seed in seeds)
        {
            Assert.Equal(SearchModality.Sound, ObjectSearchTask.ModalityOf(seed));
            using IEnvironment env = Worlds.Create(task.Episode(seed));
            TaskSetup setup = task.Setup(seed, env);
            string kind = setup.Goal.TargetSound!;
            Assert.Contains("you will hear", setup.Goal.Instruction);
            for (int a = 0; a < env.AgentCount; a++)
            {
                Observation o = env.Observe(a);
                Vec3 eye = FirstPersonRaycaster.Eye(o.Pose);
                Assert.Contains(env.World.Entities, e => e.Kind == kind && e.Position.DistanceTo(o.Pose.Position) <= ObjectSearchTask.SoundRange);
                // The target's sound is a positioned sound event: where it came from (and, when near, its position), and how loud.
                HeardSound heard = Assert.Single(o.Sounds, s => s.Source == kind);
                Assert.InRange(heard.Loudness, 1 - (ObjectSearchTask.SoundRange + 2) / 64, 1);
                Assert.Contains(env.World.Entities, e => e.Kind == kind && Along(eye, new Vec3(e.Position.X, e.Position.Y + 0.5, e.Position.Z), heard.Direction));
            }
        }
    }

    [Fact]
    public void Image_targets_are_rendered_by_the_world_renderer_and_the_describer_reads_them()
    {
        var task = new ObjectSearchTask();
        int rendered = 0;
        foreach (int seed in new[] { 1, 4, 7, 10, 13, 16, 19, 22 })
        {
            using IEnvironment env = Worlds.Create(task.Episode(seed));
            TaskSetup setup = task.Setup(seed, env);
            RgbImage image = setup.Goal.TargetImage!;
            string kind = ((ObjectSearchScorer)setup.Scorer).TargetKind;
            Assert.Equal(kind, Describer.AnimalInImage(image));
            Assert.DoesNotContain(kind, setup.Goal.Instruction.Replace("chest shown", ""));
            // A scene, not the flat fallback: many colours (terrain, shading, sky).
            if (!image.Pixels.SequenceEqual(TargetImages.Render(kind).Pixels))
            {
                rendered++;
                int colours = Enumerable.Range(0, image.Width * image.Height).Select(i => (image.Pixels[3 * i], image.Pixels[3 * i + 1], image.Pixels[3 * i + 2])).Distinct().Count();
                Assert.True(colours >= 8, $"seed {seed}: {colours} colours");
            }
        }
        Assert.True(rendered >= 6, $"{rendered} of 8 images came from the world renderer");
    }

    [Fact]
    public void The_world_renderer_view_of_an_animal_is_what_render_in_world_returns()
    {
        using IEnvironment env = Worlds.Create(new EpisodeSpec(5, 1));
        SeenEntity animal = env.World.Entities.First(e => e.Kind != "agent");
        RgbImage? image = TargetImages.RenderInWorld(env.World, TargetImages.AnimalSubject(animal));
        Assert.NotNull(image);
        Assert.Equal(animal.Kind, Describer.AnimalInImage(image));
    }

    [Fact]
    public void Chest_targets_stand_in_structures_and_opening_one_completes_the_task()
    {
        var task = new ObjectSearchTask();
        int found = 0;
        for (int seed = 0; seed < 99 && found < 2; seed += 3) // name seeds
        {
            using IEnvironment env = Worlds.Create(task.Episode(seed));
            TaskSetup setup = task.Setup(seed, env);
            if (setup.Goal.TargetName is not (ObjectSearchTask.RuinChest or ObjectSearchTask.PyramidChest)) continue;
            found++;
            Assert.Contains(setup.Goal.Instruction.Contains("pyramid") ? "pyramid" : "ruin", setup.Goal.Instruction);
            // The chests of that structure kind: each stands in its structure; walk to one and open it.
            var structure = setup.Goal.Instruction.Contains("pyramid") ? ObjectSearchTask.Structure.Pyramid : ObjectSearchTask.Structure.Ruin;
            Vec3 start = env.Observe(0).Pose.Position;
            BlockPos chest = env.World.ChestPositions.Where(c => ObjectSearchTask.StructureOf(env.World, c) == structure)
                .MinBy(c => new Vec3(c.X, c.Y, c.Z).DistanceTo(start));
            Assert.NotNull(env.World.ChestContents(chest));
            ActionOutcome last = null!;
            BlockPos stand = StandBeside(env.World, chest);
            for (int i = 0; i < 8 && env.Observe(0).Pose.Block != stand; i++)
            {
                last = env.Step(0, new MoveTo(stand));
                setup.Scorer.Record(0, new MoveTo(stand), last, env.World);
            }
            Assert.Equal(stand, env.Observe(0).Pose.Block);
            var open = new OpenChest(chest);
            last = env.Step(0, open);
            setup.Scorer.Record(0, open, last, env.World);
            Assert.True(last.Success, last.Message);
            Assert.NotEmpty(last.Gained);
            Assert.True(setup.Scorer.IsComplete);
        }
        Assert.True(found >= 1, "no chest target among the name seeds 0..98 of the small world");
    }

    /// <summary>True when <paramref name="direction"/> points from <paramref name="eye"/> at <paramref name="at"/>.</summary>
    private static bool Along(Vec3 eye, Vec3 at, Vec3 direction)
    {
        double dx = at.X - eye.X, dy = at.Y - eye.Y, dz = at.Z - eye.Z, d = Math.Sqrt(dx * dx + dy * dy + dz * dz);
        return Math.Abs((dx * direction.X + dy * direction.Y + dz * direction.Z) / d - 1) < 1e-6;
    }

    /// <summary>A free cell on solid ground within reach of the chest, south first (both structures open to the south).</summary>
    private static BlockPos StandBeside(IWorldQuery world, BlockPos chest)
    {
        foreach (var (dx, dz) in new[] { (0, 2), (0, 1), (1, 1), (-1, 1), (1, 0), (-1, 0), (0, -1), (2, 0), (-2, 0), (0, -2) })
            for (int dy = 0; dy >= -1; dy--)
            {
                var p = new BlockPos(chest.X + dx, chest.Y + dy, chest.Z + dz);
                if (world.GetBlock(p) == Block.Air && world.GetBlock(p.Above) == Block.Air && BlockTable.IsSolid(world.GetBlock(p.Offset(0, -1, 0)))) return p;
            }
        throw new InvalidOperationException($"no place beside the chest at {chest}");
    }
}
